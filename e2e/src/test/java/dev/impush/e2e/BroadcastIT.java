package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.DetectorConfig;
import dev.impush.broadcast.BroadcastCli;
import dev.impush.detector.broadcast.BroadcastJobs;
import dev.impush.broadcast.BroadcastProgress;
import dev.impush.model.broadcast.BroadcastRun;
import dev.impush.runtime.kafka.KafkaConnection;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.broadcast.BroadcastTallies;
import dev.impush.model.codec.Json;
import dev.impush.model.job.PushJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Broadcasts end to end on a real broker and Redis, with the detector in its own JVM: a broadcast to
 * all devices of an app reaches each exactly once through a SIGKILL of the detector mid-fan-out, a
 * cancel halts it on every partition, a tag audience reaches only tagged users, and chat pushes
 * arrive while a broadcast drains.
 */
@Timeout(300)
class BroadcastIT {
    private static final int USERS = 2_000;
    private static final String GROUP = "impush-offline-detector";

    private static LocalPipeline pipeline;
    private static ImTraffic traffic;
    private static KafkaProducer<String, String> commands;
    private static Admin admin;
    private static Population population;
    private static DetectorProcess detector;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
        commands = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
                new StringSerializer(), new StringSerializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()));
        population = new Population(IntStream.range(0, USERS).mapToObj(i -> new Population.Device("bc-u" + i,
                "bc-d" + i, Channel.FCM, "fcm-bc-" + i, MockVendors.ANDROID_APP, false, true)).toList());
        Instant at = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(population, at);
        detector = startDetector("first");
        traffic.connect(population, "gw-bc", at);
        for (int i = 0; i < 50; i++) { // the tag audience: every 40th user
            tags("bc-u" + i * 40, "\"vip\"");
        }
        traffic.flush();
        JobWatch.awaitCaughtUp(admin, GROUP, Duration.ofSeconds(90));
        pipeline.startWorker("broadcast");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {detector, commands, admin, traffic, pipeline}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static DetectorProcess startDetector(String name) throws Exception {
        // a short session: the group moves the killed detector's partitions in seconds, not 45 s
        return pipeline.startDetectorProcess(name, Map.of(DetectorConfig.APP_ID, GROUP,
                "IMPUSH_KAFKA_PROPERTY_SESSION_TIMEOUT_MS", "6000"));
    }

    private static void tags(String userId, String tags) {
        traffic.raw(userId, ("{\"v\":1,\"type\":\"tags\",\"userId\":\"" + userId + "\",\"tags\":[" + tags
                + "],\"at\":\"" + Instant.now() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void broadcast(String id, String audience, int rate) throws Exception {
        command(id, "{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"" + id + "\",\"appId\":\"" + MockVendors.ANDROID_APP
                + "\",\"audience\":" + audience + ",\"notification\":{\"title\":\"Notice\",\"body\":\"Maintenance tonight\","
                + "\"route\":\"app://notice\"},\"ratePerSecond\":" + rate + "}");
    }

    private static void command(String id, String json) throws Exception {
        commands.send(new ProducerRecord<>(Topics.BROADCASTS, id, json)).get();
    }

    private static DeliveryLedger fcm() {
        return pipeline.ledger(Channel.FCM);
    }

    private static long delivered(String broadcastId) {
        return population.devices().stream().filter(d -> fcm().requests(broadcastId, d.deviceId()) > 0).count();
    }

    @Test
    void all_reachesEveryDeviceOnce_throughADetectorKillMidFanOut() throws Exception {
        String id = "b-all-" + UUID.randomUUID();
        broadcast(id, "{\"all\":true}", 400); // 5 s for 2,000 devices
        Await.until(Duration.ofSeconds(60), () -> delivered(id) >= 500, () -> delivered(id) + " delivered");
        detector.kill();
        long atKill = delivered(id);
        assertTrue(atKill < USERS, "killed mid-fan-out: " + atKill + " of " + USERS);
        detector = startDetector("second"); // a fresh state directory: the progress comes back from the changelog

        Await.until(Duration.ofSeconds(120), () -> delivered(id) == USERS, () -> delivered(id) + " of " + USERS);
        Thread.sleep(2_000); // a late duplicate would show by now
        for (Population.Device d : population.devices()) {
            assertEquals(1, fcm().requests(id, d.deviceId()), d.deviceId());
        }
        Map<String, Integer> emitted = committedJobs(BroadcastJobs.JOB_ID_PREFIX + id + "/");
        assertEquals(USERS, emitted.size());
        emitted.forEach((job, n) -> assertEquals(1, n, job + ": the detector resumed after its committed cursor"));
        BroadcastProgress progress = progress(id);
        assertEquals(BroadcastRun.Status.COMPLETED, progress.status(), progress.toString());
        assertEquals(USERS, progress.devices());
        assertEquals(USERS, progress.users());
        assertEquals(4, progress.partitions());
        assertEquals("[##########] 100%", progress.bar(10));
        Await.until(Duration.ofSeconds(10), () -> outcomes(id).equals(Map.of(BroadcastTallies.DELIVERED, (long) USERS)),
                () -> "the workers' counts: " + outcomes(id));
    }

    @Test
    void cancel_haltsTheFanOutOnEveryPartition() throws Exception {
        String id = "b-cancel-" + UUID.randomUUID();
        broadcast(id, "{\"all\":true}", 200);
        Await.until(Duration.ofSeconds(60), () -> delivered(id) >= 200, () -> delivered(id) + " delivered");
        command(id, "{\"v\":1,\"type\":\"broadcast-cancel\",\"broadcastId\":\"" + id + "\"}");
        Thread.sleep(3_000); // a step (100 ms), the commit and the jobs already published
        long settled = delivered(id);
        Thread.sleep(3_000);
        assertEquals(settled, delivered(id), "nothing emitted after the cancel took effect");
        assertTrue(settled < USERS / 2, settled + " of " + USERS + " delivered before the cancel took effect");
        BroadcastProgress progress = progress(id);
        assertEquals(BroadcastRun.Status.CANCELLED, progress.status(), progress.toString());
        assertEquals(settled, progress.devices(), "what the detector emitted is what was delivered");
        assertTrue(progress.planned() > progress.users(), progress.toString());
        Await.until(Duration.ofSeconds(10), () -> outcomes(id).equals(Map.of(BroadcastTallies.DELIVERED, settled)),
                () -> "the workers' counts: " + outcomes(id));
    }

    @Test
    void tag_reachesOnlyTaggedUsers() throws Exception {
        String id = "b-vip-" + UUID.randomUUID();
        broadcast(id, "{\"tag\":\"vip\"}", 10_000);
        Await.until(Duration.ofSeconds(60), () -> delivered(id) >= 50, () -> delivered(id) + " of 50");
        Thread.sleep(1_000);
        for (int i = 0; i < USERS; i++) {
            assertEquals(i % 40 == 0 ? 1 : 0, fcm().requests(id, "bc-d" + i), "bc-d" + i);
        }
    }

    @Test
    void chatPushes_arriveWhileABroadcastDrains() throws Exception {
        String id = "b-drain-" + UUID.randomUUID();
        broadcast(id, "{\"all\":true}", 200); // 10 s
        Await.until(Duration.ofSeconds(60), () -> delivered(id) >= 200, () -> delivered(id) + " delivered");
        Instant at = Instant.now();
        List<String> chat = IntStream.range(0, 100).mapToObj(i -> "bc-u" + (i * 17)).toList();
        chat.forEach(u -> traffic.message(u, "chat-" + u + "-" + id, "hi", at));
        traffic.flush();
        Await.until(Duration.ofSeconds(60), () -> chat.stream().allMatch(u ->
                fcm().requests("chat-" + u + "-" + id, u.replace("-u", "-d")) == 1), () -> "chat pushes missing");
        long broadcastSoFar = delivered(id);
        assertTrue(broadcastSoFar < USERS, "every chat push arrived while the broadcast drained ("
                + broadcastSoFar + " of " + USERS + " sent)");
        Await.until(Duration.ofSeconds(60), () -> delivered(id) == USERS, () -> delivered(id) + " of " + USERS);
    }

    /** What {@code scripts/broadcast status} reports. */
    private static BroadcastProgress progress(String id) {
        return BroadcastProgress.of(id, BroadcastCli.runs(KafkaConnection.plaintext(pipeline.bootstrapServers()), GROUP, id,
                Duration.ofSeconds(30)));
    }

    /** What {@code scripts/broadcast status} reports of the workers' outcomes. */
    private static Map<String, Long> outcomes(String id) {
        try {
            return BroadcastCli.outcomes(RedisConnection.of(pipeline.stack().redisUri()), id, Duration.ofSeconds(10));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Jobs on the bulk lane whose id starts with {@code prefix}, as a read_committed consumer sees them: id → count. */
    private static Map<String, Integer> committedJobs(String prefix) throws java.io.IOException {
        Map<String, Integer> jobs = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "broadcast-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.JOBS_BULK));
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
                var records = c.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                for (ConsumerRecord<String, byte[]> r : records) {
                    String jobId = Json.mapper().readValue(r.value(), PushJob.class).jobId();
                    if (jobId.startsWith(prefix)) {
                        jobs.merge(jobId, 1, Integer::sum);
                    }
                }
            }
        }
        return jobs;
    }
}
