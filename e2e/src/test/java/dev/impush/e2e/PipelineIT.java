package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.impush.detector.DetectorMetrics;
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
import dev.impush.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole pipeline on a real broker and redis-server, with two in-JVM workers and mock vendors. */
@Timeout(180)
class PipelineIT {
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        pipeline.startWorker("it-worker-1");
        pipeline.startWorker("it-worker-2");
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
    }

    @AfterAll
    static void stop() {
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Population.Device device(String user, String id, Channel channel, boolean online, boolean valid) {
        String token = channel == Channel.APNS ? dev.impush.localstack.apns.MockApns.randomToken() : "fcm-" + user + id;
        return new Population.Device(user, user + "-" + id, channel, token,
                channel == Channel.APNS ? "com.example.chat" : "com.example.chat.android", online, valid);
    }

    @Test
    void presenceDecidesWhoIsPushed_andEveryOfflineDeviceGetsEachMessageOnce() throws Exception {
        Population all = Population.generate(60, 0.5, 0.5, 0.0, 7);
        // generated ids start with "u": rename to keep this test's users apart from the others
        Population population = new Population(all.devices().stream().map(d -> new Population.Device(
                "presence-" + d.userId(), "presence-" + d.deviceId(), d.channel(), d.token(), d.appId(), d.online(),
                d.tokenValid())).toList());
        Instant registeredAt = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(population, registeredAt);
        traffic.connect(population, "gw-presence", registeredAt);
        for (String u : population.userIds()) {
            traffic.message(population, u, "p-" + u, "hi", Instant.now());
        }
        traffic.flush();
        List<Population.Device> offline = population.devices().stream().filter(d -> !d.online()).toList();
        List<Population.Device> online = population.devices().stream().filter(Population.Device::online).toList();
        assertTrue(offline.size() > 10 && online.size() > 10, "population mixes online and offline devices");

        Await.until(Duration.ofSeconds(60), () -> offline.stream().allMatch(d -> shown(d, "p-") == 1),
                () -> offline.stream().filter(d -> shown(d, "p-") != 1).count() + " offline devices not shown once");
        Thread.sleep(1000); // anything wrongly sent to an online device would have arrived by now
        for (Population.Device d : online) {
            assertEquals(0, pipeline.ledger(d.channel()).requests("p-" + d.userId(), d.deviceId()),
                    "online device " + d.deviceId() + " must not be pushed");
        }
        for (Population.Device d : offline) {
            assertEquals(1, pipeline.ledger(d.channel()).requests("p-" + d.userId(), d.deviceId()),
                    "offline device " + d.deviceId() + " gets exactly one request");
        }
        // from each message's sentAt to its vendor's acceptance, measured by the worker
        List<Timer> e2e = List.copyOf(pipeline.meters().find(WorkerMetrics.E2E_LATENCY).timers());
        assertTrue(e2e.stream().mapToLong(Timer::count).sum() >= offline.size(), "every delivery is timed end to end");
        double slowest = e2e.stream().mapToDouble(t -> t.max(TimeUnit.SECONDS)).max().orElseThrow();
        assertTrue(slowest > 0 && slowest < 60, "end to end within the test's wait: " + slowest + " s");
    }

    private static int shown(Population.Device d, String prefix) {
        return pipeline.ledger(d.channel()).shown(prefix + d.userId(), d.deviceId());
    }

    @Test
    void invalidToken_isRemoved_andTheNextMessageDoesNotGoToIt() throws Exception {
        Population.Device dead = device("inv", "iphone", Channel.APNS, false, false);
        Population.Device alive = device("inv", "android", Channel.FCM, false, true);
        Population population = new Population(List.of(dead, alive));
        Instant registeredAt = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(population, registeredAt);
        traffic.connect(population, "gw-inv", registeredAt);
        double removedBefore = pipeline.count(DetectorMetrics.TOKENS_REMOVED);
        long rejectedBefore = pipeline.apns().rejected(RejectionReason.UNREGISTERED);

        traffic.message("inv", "inv-1", "first", Instant.now());
        traffic.flush();
        Await.until(Duration.ofSeconds(60), () -> pipeline.count(DetectorMetrics.TOKENS_REMOVED) > removedBefore,
                () -> "token not removed; apns rejections " + pipeline.apns().rejectedByReason());
        assertEquals(rejectedBefore + 1, pipeline.apns().rejected(RejectionReason.UNREGISTERED));
        assertEquals(1, pipeline.ledger(Channel.FCM).requests("inv-1", alive.deviceId()));

        traffic.message("inv", "inv-2", "second", Instant.now());
        traffic.flush();
        Await.until(Duration.ofSeconds(60), () -> pipeline.ledger(Channel.FCM).requests("inv-2", alive.deviceId()) == 1,
                () -> "second message not delivered to the live device");
        Thread.sleep(500);
        assertEquals(rejectedBefore + 1, pipeline.apns().rejected(RejectionReason.UNREGISTERED),
                "the removed token is not tried again");
    }

    @Test
    void malformedEvents_andOversizedJob_areDeadLettered_andTheirPartitionKeepsFlowing() throws Exception {
        Population.Device d = device("poison", "android", Channel.FCM, false, true);
        Instant now = Instant.now();
        pipeline.registerAtVendors(new Population(List.of(d)), now);
        traffic.connect(new Population(List.of(d)), "gw-poison", now);
        try (DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            int malformed = traffic.malformed("poison");
            // a job far over the worker's record limit, on the same partition as the user's next job
            PushJob huge = PushJob.of("huge", "poison", "c", new Notification("t", "x".repeat(200_000), null, null,
                            "huge", "c", Priority.HIGH, false, Map.of()),
                    List.of(new PushTarget(d.deviceId(), Channel.FCM, d.token(), d.appId(), false)), now,
                    now.plusSeconds(3600));
            producer.send(new ProducerRecord<>(Topics.JOBS, "poison".getBytes(StandardCharsets.UTF_8), Json.write(huge))).get();
            producer.send(new ProducerRecord<>(Topics.JOBS, "poison".getBytes(StandardCharsets.UTF_8),
                    "{\"v\":1,\"type\":\"push\",".getBytes(StandardCharsets.UTF_8))).get();
            traffic.message("poison", "after-poison", "still flowing", Instant.now());
            traffic.flush();

            Await.until(Duration.ofSeconds(60), () -> pipeline.ledger(Channel.FCM).requests("after-poison", d.deviceId()) == 1,
                    () -> "the message after the poison was not delivered");
            Await.until(Duration.ofSeconds(30), () -> poisonFor(dlq.poll().letters()).size() >= malformed + 2,
                    () -> "dead letters for poison: " + dlq.byReason());
            List<DeadLetter> letters = poisonFor(dlq.letters());
            Set<DeadLetterReason> reasons = letters.stream().map(DeadLetter::reason).collect(Collectors.toSet());
            assertTrue(reasons.containsAll(Set.of(DeadLetterReason.MALFORMED, DeadLetterReason.UNKNOWN_TYPE,
                    DeadLetterReason.UNSUPPORTED_VERSION, DeadLetterReason.INVALID, DeadLetterReason.OVERSIZED)),
                    "reasons " + reasons);
            assertTrue(letters.stream().allMatch(l -> l.rawBase64() != null && l.detail() != null && !l.detail().isBlank()),
                    "every poison dead letter keeps the raw bytes and says why");
            assertEquals(0, pipeline.ledger(Channel.FCM).requests("huge", d.deviceId()));
        }
    }

    private static List<DeadLetter> poisonFor(List<DeadLetter> letters) {
        return letters.stream().filter(l -> "poison".equals(l.source().key())).toList();
    }
}
