package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.state.DetectorStores;
import dev.impush.detector.state.UserLimits;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No user's state or job outgrows a Kafka record, whatever the user sends: devices, connections,
 * mutes and pending acks are capped per user (the oldest entry goes, counted), and a message's
 * jobs are split by bytes as well as by devices.
 */
class UserStateCapTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final String USER = "u42";
    /** The broker's default record limit, which the changelog producer enforces. */
    private static final int KAFKA_RECORD_LIMIT = 1024 * 1024;

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private DetectorConfig config;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> jobs;

    private void start(UnaryOperator<DetectorConfig.Builder> tweak) {
        config = tweak.apply(DetectorConfig.builder().stateDir(stateDir).ackTimeout(Duration.ofSeconds(10))).build();
        driver = TestDrivers.of(DetectorTopology.build(config, registry, new ScriptedInput(), 1), config, registry, T0);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createOutputTopic(config.jobsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(String json) {
        events.pipeInput(USER, json.getBytes(StandardCharsets.UTF_8));
    }

    private void register(String deviceId, String token, Instant at) {
        send("""
                {"v":1,"type":"device","action":"register","userId":"%s","deviceId":"%s","channel":"fcm",\
                "token":"%s","appId":"com.example.chat","sandbox":false,"registeredAt":"%s"}"""
                .formatted(USER, deviceId, token, at));
    }

    private void online(String deviceId) {
        send("""
                {"v":1,"type":"presence","userId":"%s","deviceId":"%s","state":"online","gatewayId":"gw-1","at":"%s"}"""
                .formatted(USER, deviceId, T0));
    }

    private void message(String messageId, String preview, Instant sentAt) {
        send("""
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"c-1","senderName":"Al",\
                "preview":"%s","mentioned":false,"sentAt":"%s","ttlSeconds":3600,"silent":false}"""
                .formatted(messageId, USER, preview, sentAt));
    }

    private List<PushJob> jobs() {
        ContractCodec<PushJob> codec = ContractCodec.jobs(ContractCodec.DEFAULT_MAX_BYTES);
        return jobs.readValuesToList().stream().map(v -> switch (codec.decode(v)) {
            case Decoded.Ok<PushJob> ok -> ok.value();
            case Decoded.Invalid<PushJob> bad -> throw new AssertionError("job the worker refuses: " + bad);
        }).toList();
    }

    /** The largest value the store wrote to its changelog. */
    private int largestChangelogValue(String store) {
        TestOutputTopic<String, byte[]> changelog = driver.createOutputTopic(
                config.applicationId() + "-" + store + "-changelog", new StringDeserializer(), new ByteArrayDeserializer());
        return changelog.readRecordsToList().stream().map(TestRecord::value)
                .mapToInt(v -> v == null ? 0 : v.length).max().orElse(0);
    }

    private double capped(String limit) {
        var c = registry.find(DetectorMetrics.CAPPED).tag("limit", limit).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void devicesPastTheLimit_replaceTheOldestRegistrations() {
        start(b -> b.limits(new UserLimits(4, 500, 256 * 1024)));
        for (int i = 1; i <= 6; i++) {
            register("d" + i, "tok-" + i, T0.minusSeconds(600 - i));
        }
        message("m-1", "hi", T0);
        List<PushJob> made = jobs();
        assertEquals(1, made.size());
        assertEquals(List.of("d3", "d4", "d5", "d6"),
                made.getFirst().targets().stream().map(PushTarget::deviceId).sorted().toList());
        assertEquals(2, capped("devices"));
    }

    @Test
    void longMessagesToAnOnlineUser_keepThePendingValueWithinItsLimit_andTheNewestStillGetZombiePushes() {
        start(b -> b.ackTracking(AckTracking.MESSAGE)); // a deadline at each message: no routed needed
        register("d1", "tok-1", T0.minusSeconds(60));
        online("d1");
        String longPreview = "长".repeat(8000);
        for (int i = 0; i < 200; i++) {
            message("m-" + i, longPreview, T0.plusMillis(i));
        }
        int largest = largestChangelogValue(DetectorStores.PENDING_ACKS);
        assertTrue(largest <= UserLimits.DEFAULTS.maxPendingBytes(),
                "pending value of " + largest + " bytes, limit " + UserLimits.DEFAULTS.maxPendingBytes());
        assertTrue(capped("pending") > 0);

        driver.advanceWallClockTime(Duration.ofSeconds(13)); // past the ack timeout plus the grace
        List<PushJob> zombies = jobs();
        Set<String> pushed = new HashSet<>();
        zombies.forEach(j -> pushed.add(j.messageId()));
        assertEquals(200 - (int) capped("pending"), pushed.size(), "every message still tracked is pushed");
        assertTrue(pushed.contains("m-199"), "the newest message is among them");
        for (PushJob j : zombies) {
            assertEquals(2000, j.notification().body().length(), "the body is cut to what a job carries");
        }
    }

    @Test
    void manyMutes_keepTheMuteValueWithinItsLimit() {
        start(b -> b);
        for (int i = 0; i < 700; i++) {
            send("""
                    {"v":1,"type":"mute","userId":"%s","conversationId":"%s","muted":true,"at":"%s"}"""
                    .formatted(USER, "c".repeat(200) + i, T0.plusSeconds(i)));
        }
        assertEquals(200, capped("mutes"));
        assertTrue(largestChangelogValue(DetectorStores.MUTES) < KAFKA_RECORD_LIMIT / 2);
    }

    @Test
    void connectionsOfUnregisteredDevices_areCapped() {
        start(b -> b.limits(new UserLimits(4, 500, 256 * 1024)));
        for (int i = 0; i < 20; i++) {
            online("d" + i);
        }
        assertEquals(12, capped("connections"));
    }

    @Test
    void aMessageToManyDevicesWithLongTokens_isSplitIntoJobsTheWorkerAccepts() {
        start(b -> b);
        for (int i = 0; i < 32; i++) {
            register("device-" + i, Character.toString('a' + (i % 26)).repeat(4096), T0.minusSeconds(60));
        }
        message("m-1", "x".repeat(8192), T0);
        List<TestRecord<String, byte[]>> records = jobs.readRecordsToList();
        assertTrue(records.size() > 1, "split by bytes");
        Set<String> devices = new HashSet<>();
        ContractCodec<PushJob> codec = ContractCodec.jobs(ContractCodec.DEFAULT_MAX_BYTES);
        for (TestRecord<String, byte[]> r : records) {
            assertTrue(r.value().length <= ContractCodec.DEFAULT_MAX_BYTES, "job of " + r.value().length + " bytes");
            PushJob job = ((Decoded.Ok<PushJob>) codec.decode(r.value())).value();
            job.targets().forEach(t -> devices.add(t.deviceId()));
            assertTrue(job.jobId().startsWith("m-1/u42/part-"), job.jobId());
        }
        assertEquals(32, devices.size(), "every device is in exactly one of the jobs");
    }
}
