package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.broadcast.BroadcastJobs;
import dev.impush.model.broadcast.BroadcastRun;
import dev.impush.detector.broadcast.BroadcastSettings;
import dev.impush.detector.state.DetectorStores;
import dev.impush.model.Priority;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broadcast fan-out in the production topology, on {@link TopologyTestDriver}: audiences, pace, cancel, duplicates, bad input. */
class BroadcastFanOutTest {
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final String APP = "com.example.chat";
    private static final Duration STEP = BroadcastSettings.DEFAULTS.step();

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ContractCodec<PushJob> jobCodec = ContractCodec.jobs(Integer.MAX_VALUE);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> broadcasts;
    private TestOutputTopic<String, byte[]> bulkJobs;
    private TestOutputTopic<String, byte[]> chatJobs;
    private TestOutputTopic<String, byte[]> dlq;

    private void start(UnaryOperator<BroadcastSettings> tweak) {
        DetectorConfig config = DetectorConfig.builder().stateDir(stateDir)
                .broadcasts(tweak.apply(BroadcastSettings.DEFAULTS.withDefaultRate(1_000_000))).build();
        driver = TestDrivers.of(DetectorTopology.build(config, registry, new ScriptedInput(), 1), config, registry, T0);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        broadcasts = driver.createInputTopic(config.broadcasts().topic(), new StringSerializer(), new ByteArraySerializer());
        bulkJobs = driver.createOutputTopic(config.broadcasts().bulkJobsTopic(), new StringDeserializer(),
                new ByteArrayDeserializer());
        chatJobs = driver.createOutputTopic(config.jobsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(config.dlqTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void event(String userId, String json) {
        events.pipeInput(userId, json.getBytes(StandardCharsets.UTF_8));
    }

    private void register(String userId, String deviceId, String appId) {
        event(userId, """
                {"v":1,"type":"device","action":"register","userId":"%s","deviceId":"%s","channel":"fcm",\
                "token":"tok-%s","appId":"%s","registeredAt":"%s"}""".formatted(userId, deviceId, deviceId, appId,
                T0.minusSeconds(60)));
    }

    private void tags(String userId, String tags, Instant at) {
        event(userId, """
                {"v":1,"type":"tags","userId":"%s","tags":[%s],"at":"%s"}""".formatted(userId, tags, at));
    }

    private void broadcast(String id, String audience, String extra) {
        broadcasts.pipeInput(id, ("""
                {"v":1,"type":"broadcast","broadcastId":"%s","appId":"%s","audience":%s,\
                "notification":{"title":"Maintenance","body":"Tonight 2-3 am","route":"app://notice/42",\
                "data":{"k":"v"}}%s}""".formatted(id, APP, audience, extra)).getBytes(StandardCharsets.UTF_8));
    }

    private void cancel(String id) {
        broadcasts.pipeInput(id, """
                {"v":1,"type":"broadcast-cancel","broadcastId":"%s"}""".formatted(id).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} users u0..u(n-1), each with one device of the app. */
    private void users(int n) {
        IntStream.range(0, n).forEach(i -> register("u" + i, "d" + i, APP));
    }

    private void steps(int n) {
        for (int i = 0; i < n; i++) {
            driver.advanceWallClockTime(STEP);
        }
    }

    private List<PushJob> read(TestOutputTopic<String, byte[]> topic) {
        List<PushJob> jobs = new ArrayList<>();
        for (var r : topic.readRecordsToList()) {
            Decoded<PushJob> decoded = jobCodec.decode(r.value()); // the worker's own validation
            if (!(decoded instanceof Decoded.Ok<PushJob> ok)) {
                throw new AssertionError("invalid job: " + decoded);
            }
            assertEquals(ok.value().userId(), r.key());
            jobs.add(ok.value());
        }
        return jobs;
    }

    private static Set<String> userIds(List<PushJob> jobs) {
        Set<String> users = new HashSet<>();
        jobs.forEach(j -> assertTrue(users.add(j.userId()), "a second job for " + j.userId()));
        return users;
    }

    private BroadcastRun run(String id) {
        return (BroadcastRun) driver.getKeyValueStore(DetectorStores.BROADCASTS).get(id);
    }

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void all_reachesEveryDeviceOfTheApp_onceEach_onTheBulkLane() {
        start(s -> s);
        users(5);
        register("u0", "d0b", APP);
        register("other", "dx", "com.example.other");
        broadcast("b1", "{\"all\":true}", "");
        steps(2);

        List<PushJob> jobs = read(bulkJobs);
        assertEquals(Set.of("u0", "u1", "u2", "u3", "u4"), userIds(jobs));
        PushJob u0 = jobs.stream().filter(j -> j.userId().equals("u0")).findFirst().orElseThrow();
        assertEquals(BroadcastJobs.jobId("b1", "u0"), u0.jobId());
        assertEquals(List.of("d0", "d0b"), u0.targets().stream().map(PushTarget::deviceId).sorted().toList());
        assertEquals("Maintenance", u0.notification().title());
        assertEquals("app://notice/42", u0.notification().data().get("route"));
        assertEquals("v", u0.notification().data().get("k"));
        assertEquals("b1", u0.notification().data().get(BroadcastJobs.BROADCAST_ID_KEY));
        assertEquals(Priority.NORMAL, u0.notification().priority());
        assertEquals(T0.plus(Duration.ofDays(1)), u0.expiresAt(), "the detector's default lifetime from the start");
        assertEquals(List.of(), read(chatJobs), "bulk is the default lane");
        BroadcastRun run = run("b1");
        assertEquals(BroadcastRun.Status.COMPLETED, run.status());
        assertEquals(6, run.devices());
        assertEquals(6, count(DetectorMetrics.BROADCAST_DEVICES));
        assertEquals(1, count(DetectorMetrics.BROADCASTS, "event", "completed"));
    }

    @Test
    void pace_emitsAtMostTheStepBudget_andResumesAfterTheCursor() {
        start(s -> s.withMaxDevicesPerStep(3));
        users(10);
        broadcast("b1", "{\"all\":true}", "");
        steps(1);
        assertEquals(3, read(bulkJobs).size(), "one step emits at most its budget");
        assertEquals(BroadcastRun.Status.ACTIVE, run("b1").status());
        steps(1);
        assertEquals(3, read(bulkJobs).size());
        steps(5);
        assertEquals(4, read(bulkJobs).size(), "the rest, each user once");
        assertEquals(BroadcastRun.Status.COMPLETED, run("b1").status());
        assertEquals(10, run("b1").devices());
    }

    @Test
    void rate_isSpreadOverSteps() {
        start(s -> s.withDefaultRate(500)); // 5 devices per 10 ms step
        users(20);
        broadcast("b1", "{\"all\":true}", "");
        steps(2);
        assertEquals(10, read(bulkJobs).size());
        broadcast("b2", "{\"all\":true}", ",\"ratePerSecond\":200"); // its own rate: 2 per step
        steps(1);
        List<PushJob> jobs = read(bulkJobs);
        assertEquals(5, jobs.stream().filter(j -> j.messageId().equals("b1")).count());
        assertEquals(2, jobs.stream().filter(j -> j.messageId().equals("b2")).count());
    }

    @Test
    void sameIdTwice_isFannedOutOnce() {
        start(s -> s);
        users(3);
        broadcast("b1", "{\"all\":true}", "");
        steps(1);
        assertEquals(3, read(bulkJobs).size());
        broadcast("b1", "{\"all\":true}", "");
        steps(3);
        assertEquals(List.of(), read(bulkJobs));
        assertEquals(1, count(DetectorMetrics.BROADCASTS, "event", "duplicate"));
    }

    @Test
    void cancel_stopsEmission_withinAStep() {
        start(s -> s.withMaxDevicesPerStep(2));
        users(10);
        broadcast("b1", "{\"all\":true}", "");
        steps(1);
        assertEquals(2, read(bulkJobs).size());
        cancel("b1");
        steps(10);
        assertEquals(List.of(), read(bulkJobs));
        assertEquals(BroadcastRun.Status.CANCELLED, run("b1").status());
        assertEquals(2, run("b1").devices());
    }

    @Test
    void cancelBeforeTheBroadcast_keepsItFromStarting() {
        start(s -> s);
        users(3);
        cancel("b1");
        broadcast("b1", "{\"all\":true}", "");
        steps(3);
        assertEquals(List.of(), read(bulkJobs));
    }

    @Test
    void tag_reachesOnlyUsersCarryingIt_asTheirLatestTagsSay() {
        start(s -> s);
        users(6);
        tags("u1", "\"vip\"", T0);
        tags("u2", "\"vip\",\"beta\"", T0);
        tags("u3", "\"vip\"", T0);
        tags("u3", "\"beta\"", T0.plusSeconds(1)); // u3 is no longer vip
        tags("u4", "", T0.plusSeconds(1));
        tags("u4", "\"vip\"", T0); // older than the clear: ignored
        broadcast("b1", "{\"tag\":\"vip\"}", "");
        steps(2);
        assertEquals(Set.of("u1", "u2"), userIds(read(bulkJobs)));
        assertEquals(BroadcastRun.Status.COMPLETED, run("b1").status());
    }

    @Test
    void users_reachesTheListed_withDevicesOfTheApp() {
        start(s -> s);
        users(5);
        broadcast("b1", "{\"users\":[\"u1\",\"u3\",\"nobody\",\"u3\"]}", "");
        steps(2);
        List<PushJob> jobs = read(bulkJobs);
        assertEquals(Set.of("u1", "u3"), new HashSet<>(jobs.stream().map(PushJob::userId).toList()));
        assertEquals(Set.of(BroadcastJobs.jobId("b1", "u3")), new HashSet<>(jobs.stream()
                .filter(j -> j.userId().equals("u3")).map(PushJob::jobId).toList()),
                "a user listed twice gets the same job id: the worker's dedupe sends it once");
    }

    @Test
    void mutedUsers_andOnlineDevicesOfAnOfflineOnlyBroadcast_areSkipped() {
        start(s -> s);
        users(4);
        event("u1", """
                {"v":1,"type":"mute","userId":"u1","muted":true,"at":"%s"}""".formatted(T0));
        event("u2", """
                {"v":1,"type":"presence","userId":"u2","deviceId":"d2","state":"online","gatewayId":"gw","at":"%s"}"""
                .formatted(T0));
        broadcast("b1", "{\"all\":true}", "");
        broadcast("b2", "{\"all\":true}", ",\"offlineOnly\":true,\"lane\":\"chat\"");
        steps(2);
        assertEquals(Set.of("u0", "u2", "u3"), userIds(read(bulkJobs)), "an announcement reaches online devices too");
        List<PushJob> chat = read(chatJobs);
        assertEquals(Set.of("u0", "u3"), userIds(chat));
        assertEquals(Priority.HIGH, chat.get(0).notification().priority(), "a chat-lane notice is urgent");
        assertEquals(1, run("b1").skipped());
        assertEquals(2, run("b2").skipped());
    }

    @Test
    void scheduledAndExpired_startOnTime_andNeverAfterTheirLifetime() {
        start(s -> s);
        users(2);
        broadcast("later", "{\"all\":true}", ",\"at\":\"" + T0.plusSeconds(5) + "\"");
        broadcast("gone", "{\"all\":true}", ",\"at\":\"" + T0.minusSeconds(120) + "\",\"ttlSeconds\":60");
        steps(3);
        assertEquals(List.of(), read(bulkJobs));
        assertEquals(BroadcastRun.Status.EXPIRED, run("gone").status());
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        steps(1);
        assertEquals(Set.of("u0", "u1"), userIds(read(bulkJobs)));
    }

    @Test
    void badCommands_areDeadLettered_withTheReason() {
        start(s -> s);
        users(2);
        broadcast("b1", "{\"segment\":\"young\"}", "");
        broadcasts.pipeInput("not-b2", """
                {"v":1,"type":"broadcast-cancel","broadcastId":"b2"}""".getBytes(StandardCharsets.UTF_8));
        broadcasts.pipeInput("b3", "{not json".getBytes(StandardCharsets.UTF_8));
        steps(2);
        assertEquals(List.of(), read(bulkJobs));
        List<DeadLetter> letters = dlq.readRecordsToList().stream()
                .map(r -> ((Decoded.Ok<DeadLetter>) ContractCodec.deadLetters().decode(r.value())).value()).toList();
        assertEquals(List.of(DeadLetterReason.INVALID, DeadLetterReason.INVALID, DeadLetterReason.MALFORMED),
                letters.stream().map(DeadLetter::reason).toList());
        assertTrue(letters.get(0).detail().contains("audience must have exactly one of"), letters.get(0).detail());
        assertTrue(letters.get(1).detail().contains("record key 'not-b2'"), letters.get(1).detail());
    }

    @Test
    void endedBroadcasts_areForgotten_afterTheRetention() {
        start(s -> s);
        users(1);
        broadcast("b1", "{\"all\":true}", "");
        steps(1);
        assertEquals(BroadcastRun.Status.COMPLETED, run("b1").status());
        driver.advanceWallClockTime(BroadcastSettings.DEFAULTS.retention().plusSeconds(1));
        steps(1);
        assertEquals(null, run("b1"));
    }
}
