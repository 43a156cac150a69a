package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.PushWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile records on both inputs: truncated JSON, wrong types, unknown versions, 10 MB values,
 * invalid UTF-8, deep nesting, a huge token list, numeric extremes (the largest TTL, times at the
 * ends of {@link Instant}'s range, negative badges, zero and huge gateway leases). Each is
 * dead-lettered with its reason (leases, on their compacted topic, are counted and skipped), nothing
 * crashes, and the record after them on the same partition is delivered.
 */
@Timeout(180)
class HostileInputIT {

    @Test
    void hostileRecords_areDeadLetteredWithReasons_andNeitherServiceStalls() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
             ImTraffic traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                     ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            PushWorker worker = pipeline.startWorker("hostile-worker");
            Instant registeredAt = Instant.now().minusSeconds(60);
            Population.Device phone = new Population.Device("hostile", "hostile-phone", Channel.FCM, "fcm-hostile",
                    MockVendors.ANDROID_APP, false, true);
            pipeline.registerAtVendors(new Population(List.of(phone)), registeredAt);
            traffic.connect(new Population(List.of(phone)), "gw-hostile", registeredAt);

            String tenMb = "{\"v\":1,\"type\":\"push\",\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
            String deep = "{\"v\":1,\"type\":\"push\",\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
            Instant now = Instant.now();
            PushJob manyTargets = PushJob.of("many", "hostile", "c",
                    new Notification("t", "b", null, null, "many", "c", Priority.HIGH, false, Map.of()),
                    IntStream.range(0, 150).mapToObj(i -> new PushTarget("d" + i, Channel.FCM, "t" + i, "a", false)).toList(),
                    now, now.plusSeconds(600));
            List<byte[]> hostileJobs = List.of(
                    "{\"v\":1,\"type\":\"push\",\"jobId\":".getBytes(StandardCharsets.UTF_8),
                    "{\"v\":1,\"type\":\"push\",\"jobId\":\"j\",\"messageId\":\"m\",\"userId\":\"hostile\",\"targets\":\"everyone\"}".getBytes(StandardCharsets.UTF_8),
                    "{\"v\":9,\"type\":\"push\"}".getBytes(StandardCharsets.UTF_8),
                    tenMb.getBytes(StandardCharsets.UTF_8),
                    new byte[] {'{', '"', 'v', '"', ':', '1', ',', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'},
                    deep.getBytes(StandardCharsets.UTF_8),
                    Json.write(manyTargets),
                    jobJson(now, "+999999999-12-31T23:59:59Z", "1"),
                    jobJson(now, now.plusSeconds(600).toString(), "-1"));
            byte[] key = "hostile".getBytes(StandardCharsets.UTF_8);
            for (byte[] v : hostileJobs) {
                producer.send(new ProducerRecord<>(Topics.JOBS, key, v)).get();
            }
            producer.send(new ProducerRecord<>(Topics.EVENTS, key, tenMb.replace("push", "message")
                    .getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(Topics.EVENTS, key, deep.replace("push", "message")
                    .getBytes(StandardCharsets.UTF_8))).get();
            List<String> extremeEvents = List.of(
                    message("m-ttl", now.toString(), Long.toString(Long.MAX_VALUE), "1"),
                    message("m-future", "+999999999-12-31T23:59:59Z", "60", "1"),
                    message("m-past", "-999999999-01-01T00:00:00Z", "60", "1"),
                    message("m-badge", now.toString(), "60", "-1"));
            for (String e : extremeEvents) {
                producer.send(new ProducerRecord<>(Topics.EVENTS, key, e.getBytes(StandardCharsets.UTF_8))).get();
            }
            for (String seconds : List.of("0", Long.toString(Long.MAX_VALUE))) {
                producer.send(new ProducerRecord<>(Topics.GATEWAYS, "gw-hostile".getBytes(StandardCharsets.UTF_8),
                        ("{\"v\":1,\"type\":\"gateway\",\"gatewayId\":\"gw-hostile\",\"leaseSeconds\":" + seconds
                                + ",\"at\":\"" + now + "\"}").getBytes(StandardCharsets.UTF_8))).get();
            }
            traffic.message("hostile", "after-hostile", "still here", Instant.now());
            traffic.flush();

            Await.until(Duration.ofSeconds(90), () -> pipeline.ledger(Channel.FCM).requests("after-hostile", phone.deviceId()) == 1,
                    () -> "the message after the hostile records was not delivered; dlq " + dlq.poll().byReason());
            Await.until(Duration.ofSeconds(30),
                    () -> hostile(dlq.poll().letters()).size() >= hostileJobs.size() + 2 + extremeEvents.size(),
                    () -> "dead letters " + dlq.byReason());
            List<DeadLetter> letters = hostile(dlq.letters());
            Map<String, List<DeadLetterReason>> byTopic = letters.stream().collect(java.util.stream.Collectors.groupingBy(
                    l -> l.source().topic(), java.util.stream.Collectors.mapping(DeadLetter::reason, java.util.stream.Collectors.toList())));
            assertEquals(List.of(DeadLetterReason.MALFORMED, DeadLetterReason.INVALID, DeadLetterReason.UNSUPPORTED_VERSION,
                    DeadLetterReason.OVERSIZED, DeadLetterReason.MALFORMED, DeadLetterReason.MALFORMED, DeadLetterReason.INVALID,
                    DeadLetterReason.INVALID, DeadLetterReason.INVALID),
                    byTopic.get(Topics.JOBS), "one dead letter per hostile job, in order, with its reason");
            assertEquals(List.of(DeadLetterReason.OVERSIZED, DeadLetterReason.MALFORMED, DeadLetterReason.INVALID,
                    DeadLetterReason.INVALID, DeadLetterReason.INVALID, DeadLetterReason.INVALID),
                    byTopic.get(Topics.EVENTS));
            Await.until(Duration.ofSeconds(30), () -> pipeline.count("impush.detector.gateways.invalid", "reason", "invalid") == 2,
                    () -> "both extreme leases are counted and skipped: "
                            + pipeline.count("impush.detector.gateways.invalid", "reason", "invalid"));
            assertTrue(letters.stream().allMatch(l -> l.rawBase64() != null && l.rawBase64().length() <= 90_000),
                    "raw bytes kept, cut to a bounded size");
            assertTrue(letters.stream().filter(l -> l.reason() == DeadLetterReason.OVERSIZED).allMatch(DeadLetter::rawTruncated));
            assertTrue(worker.isRunning(), "the worker survived");
        }
    }

    private static String message(String messageId, String sentAt, String ttl, String badge) {
        return """
                {"v":1,"type":"message","messageId":"%s","userId":"hostile","conversationId":"c","senderName":"x",\
                "preview":"p","mentioned":false,"badge":%s,"sentAt":"%s","ttlSeconds":%s,"silent":false}"""
                .formatted(messageId, badge, sentAt, ttl);
    }

    private static byte[] jobJson(Instant createdAt, String expiresAt, String badge) {
        return ("""
                {"v":1,"type":"push","jobId":"x/hostile","messageId":"x","userId":"hostile","conversationId":"c",\
                "notification":{"title":"t","body":"b","badge":%s,"priority":"high","silent":false,\
                "data":{"messageId":"x"}},"targets":[{"deviceId":"hostile-phone","channel":"fcm","token":"t",\
                "appId":"a","sandbox":false}],"createdAt":"%s","expiresAt":"%s"}"""
                .formatted(badge, createdAt, expiresAt)).getBytes(StandardCharsets.UTF_8);
    }

    private static List<DeadLetter> hostile(List<DeadLetter> letters) {
        return letters.stream().filter(l -> "hostile".equals(l.source().key())).toList();
    }
}
