package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.detector.logic.JobFactory;
import dev.impush.model.Priority;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

/** The production topology ({@link DetectorTopology#build}) driven by {@link TopologyTestDriver}. */
class DetectorTopologyTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final String USER = "u42";
    private static final String TOKEN_1 = "a".repeat(64);
    private static final String TOKEN_2 = "b".repeat(64);
    private static final Duration MAX_AGE = DetectorConfig.DEFAULT_CONNECTION_MAX_AGE;

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ContractCodec<PushJob> jobCodec = ContractCodec.jobs(Integer.MAX_VALUE);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> gateways;
    private TestInputTopic<String, byte[]> feedback;
    private TestOutputTopic<String, byte[]> jobs;
    private TestOutputTopic<String, byte[]> dlq;

    private void start(UnaryOperator<DetectorConfig.Builder> tweak) {
        // each message pushes on its own here: coalescing has its own tests (CoalescingTest)
        DetectorConfig config = tweak.apply(DetectorConfig.builder().coalescing(CoalesceSettings.OFF)
                .stateDir(stateDir)
                .ackTimeout(Duration.ofSeconds(10))
                .punctuateInterval(Duration.ofSeconds(1))).build();
        driver = TestDrivers.of(DetectorTopology.build(config, registry, new ScriptedInput(), 1), config, registry, T0);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        gateways = driver.createInputTopic(config.gatewaysTopic(), new StringSerializer(), new ByteArraySerializer());
        feedback = driver.createInputTopic(config.feedbackTopic(), new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createOutputTopic(config.jobsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(config.dlqTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void start() {
        start(b -> b);
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    // ---- input helpers: the wire format of DESIGN.md, written out ----

    private void send(String json) {
        events.pipeInput(USER, json.getBytes(StandardCharsets.UTF_8));
    }

    private void register(String deviceId, String token, Instant registeredAt, boolean preview) {
        send("""
                {"v":1,"type":"device","action":"register","userId":"%s","deviceId":"%s","channel":"apns",\
                "token":"%s","appId":"com.example.chat","sandbox":false,"locale":"zh-CN",\
                "previewEnabled":%s,"registeredAt":"%s"}""".formatted(USER, deviceId, token, preview, registeredAt));
    }

    private void register(String deviceId, String token) {
        register(deviceId, token, T0.minusSeconds(60), true);
    }

    private void unregister(String deviceId) {
        // "sandbox" is sent although meaningless here: common-model rejects a missing primitive (see report)
        send("""
                {"v":1,"type":"device","action":"unregister","userId":"%s","deviceId":"%s","sandbox":false}"""
                .formatted(USER, deviceId));
    }

    private void presence(String deviceId, String state, String gatewayId, Instant at) {
        send("""
                {"v":1,"type":"presence","userId":"%s","deviceId":"%s","state":"%s","gatewayId":"%s","at":"%s"}"""
                .formatted(USER, deviceId, state, gatewayId, at));
    }

    private void presence(String deviceId, String state, String gatewayId, Instant at, String incarnation) {
        send("""
                {"v":1,"type":"presence","userId":"%s","deviceId":"%s","state":"%s","gatewayId":"%s","at":"%s",\
                "incarnation":"%s"}""".formatted(USER, deviceId, state, gatewayId, at, incarnation));
    }

    private void message(String messageId, String conversationId, Instant sentAt, long ttl) {
        send("""
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"%s",\
                "conversationType":"group","senderId":"u7","senderName":"Alice","preview":"lunch?",\
                "mentioned":false,"badge":3,"sentAt":"%s","ttlSeconds":%d,"priority":"high","silent":false}"""
                .formatted(messageId, USER, conversationId, sentAt, ttl));
    }

    private void message(String messageId) {
        message(messageId, "c-17", T0, 86400);
    }

    private void routedOrAcked(String type, String messageId, String deviceId) {
        send("""
                {"v":1,"type":"%s","messageId":"%s","userId":"%s","deviceId":"%s","at":"%s"}"""
                .formatted(type, messageId, USER, deviceId, T0));
    }

    /**
     * A heartbeat as a gateway's producer writes it: the record's timestamp (CreateTime) comes from the
     * gateway's clock too, so it is skewed just like {@code at}.
     */
    private void lease(String gatewayId, long seconds, Instant at) {
        gateways.pipeInput(gatewayId, ("""
                {"v":1,"type":"gateway","gatewayId":"%s","leaseSeconds":%d,"at":"%s"}"""
                .formatted(gatewayId, seconds, at)).getBytes(StandardCharsets.UTF_8), at);
    }

    private void lease(String gatewayId, long seconds, Instant at, String incarnation) {
        gateways.pipeInput(gatewayId, ("""
                {"v":1,"type":"gateway","gatewayId":"%s","leaseSeconds":%d,"at":"%s","incarnation":"%s"}"""
                .formatted(gatewayId, seconds, at, incarnation)).getBytes(StandardCharsets.UTF_8), at);
    }

    private void invalidToken(String deviceId, String token, Instant invalidatedAt) {
        feedback.pipeInput(USER, ("""
                {"v":1,"type":"invalid-token","userId":"%s","deviceId":"%s","channel":"apns","token":"%s",\
                "invalidatedAt":"%s","reason":"Unregistered"}""".formatted(USER, deviceId, token, invalidatedAt))
                .getBytes(StandardCharsets.UTF_8));
    }

    // ---- output helpers ----

    private List<PushJob> jobs() {
        return jobs.readRecordsToList().stream().map(r -> decodeJob(r.value())).toList();
    }

    private PushJob decodeJob(byte[] bytes) {
        // every job must pass the worker's own contract validation
        Decoded<PushJob> decoded = jobCodec.decode(bytes);
        if (decoded instanceof Decoded.Ok<PushJob> ok) {
            return ok.value();
        }
        throw new AssertionError("invalid job: " + decoded);
    }

    private static List<String> deviceIds(PushJob job) {
        return job.targets().stream().map(PushTarget::deviceId).sorted().toList();
    }

    private boolean isEmpty(String store) {
        try (var it = driver.getKeyValueStore(store).all()) {
            return !it.hasNext();
        }
    }

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    // ---- messages ----

    @Test
    void message_forOfflineDevice_emitsOneJobWithTargetsNotificationAndHeaders() {
        start();
        register("d1", TOKEN_1);
        message("m-9001");

        List<TestRecord<String, byte[]>> records = jobs.readRecordsToList();
        assertEquals(1, records.size());
        TestRecord<String, byte[]> record = records.get(0);
        assertEquals(USER, record.key());
        assertEquals(JobHeaders.Origin.DETECTED, JobHeaders.origin(record.headers()));
        assertEquals("DETECTED", JobHeaders.string(record.headers(), JobHeaders.ORIGIN));

        PushJob job = decodeJob(record.value());
        assertEquals("m-9001/u42", job.jobId());
        assertEquals("m-9001", job.messageId());
        assertEquals("c-17", job.conversationId());
        assertEquals(List.of(new PushTarget("d1", dev.impush.model.Channel.APNS, TOKEN_1, "com.example.chat", false,
                T0.minusSeconds(60))), job.targets(), "the registration time travels with the token (the token shield)");
        assertEquals(T0, job.createdAt());
        assertEquals(T0.plusSeconds(86400), job.expiresAt());

        Notification n = job.notification();
        assertEquals("Alice", n.title());
        assertEquals("lunch?", n.body());
        assertEquals(3, n.badge());
        assertEquals("default", n.sound());
        assertEquals("m-9001", n.collapseId());
        assertEquals("c-17", n.threadId());
        assertEquals(Priority.HIGH, n.priority());
        assertFalse(n.silent());
        assertEquals(Map.of("messageId", "m-9001", "conversationId", "c-17", "senderId", "u7",
                "conversationType", "group"), n.data());
        assertEquals(1, count(DetectorMetrics.JOBS, "trigger", "message"));
        assertEquals(1, count(DetectorMetrics.EVENTS, "type", "message"));
    }

    @Test
    void message_withOneDeviceOnline_targetsOnlyTheOfflineSibling() {
        start();
        register("d1", TOKEN_1);
        register("d2", TOKEN_2);
        presence("d1", "online", "gw-7", T0);
        message("m-1");

        List<PushJob> out = jobs();
        assertEquals(1, out.size());
        assertEquals(List.of("d2"), deviceIds(out.get(0)));
    }

    @Test
    void message_withAllDevicesOnline_emitsNoJob() {
        start();
        register("d1", TOKEN_1);
        register("d2", TOKEN_2);
        presence("d1", "online", "gw-7", T0);
        presence("d2", "online", "gw-8", T0);
        message("m-1");

        assertTrue(jobs.isEmpty());
        assertEquals(1, count(DetectorMetrics.DROPPED, "reason", "all-online"));
    }

    @Test
    void message_withoutDevices_emitsNoJob() {
        start();
        message("m-1");

        assertTrue(jobs.isEmpty());
        assertEquals(1, count(DetectorMetrics.DROPPED, "reason", "no-devices"));
    }

    @Test
    void message_afterOfflinePresence_targetsDevice() {
        start();
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0.minusSeconds(10));
        presence("d1", "offline", "gw-7", T0);
        message("m-1");

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    @Test
    void message_afterLateOfflineOfOlderSession_keepsDeviceOnline() {
        start();
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-8", T0);
        presence("d1", "offline", "gw-7", T0.minusSeconds(5)); // from the session before, arriving late
        message("m-1");

        assertTrue(jobs.isEmpty());
    }

    @Test
    void message_previewDisabledDevice_getsGenericBodyInSeparateJob() {
        start();
        register("d1", TOKEN_1, T0.minusSeconds(60), true);
        register("d2", TOKEN_2, T0.minusSeconds(60), false);
        message("m-1");

        List<PushJob> out = jobs();
        assertEquals(2, out.size());
        PushJob preview = out.stream().filter(j -> j.jobId().equals("m-1/u42")).findFirst().orElseThrow();
        PushJob generic = out.stream().filter(j -> j.jobId().equals("m-1/u42/nopreview")).findFirst().orElseThrow();
        assertEquals(List.of("d1"), deviceIds(preview));
        assertEquals("lunch?", preview.notification().body());
        assertEquals(List.of("d2"), deviceIds(generic));
        assertEquals(JobFactory.GENERIC_BODY, generic.notification().body());
        assertEquals(2, count(DetectorMetrics.JOBS, "trigger", "message"));
    }

    @Test
    void message_expired_isDropped() {
        start();
        register("d1", TOKEN_1);
        message("m-old", "c-17", T0.minusSeconds(120), 60);

        assertTrue(jobs.isEmpty());
        assertEquals(1, count(DetectorMetrics.DROPPED, "reason", "expired"));
    }

    @Test
    void message_withZeroTtl_usesDefaultTtl() {
        start(b -> b.defaultTtl(Duration.ofHours(1)));
        register("d1", TOKEN_1);
        message("m-1", "c-17", T0.minusSeconds(60), 0);

        assertEquals(T0.minusSeconds(60).plus(Duration.ofHours(1)), jobs().get(0).expiresAt());
    }

    // ---- devices and tokens ----

    @Test
    void unregister_removesDevice() {
        start();
        register("d1", TOKEN_1);
        unregister("d1");
        message("m-1");

        assertTrue(jobs.isEmpty());
        assertEquals(1, count(DetectorMetrics.TOKENS_REMOVED, "reason", "unregister"));
    }

    @Test
    void register_olderThanCurrent_isIgnored() {
        start();
        register("d1", TOKEN_2, T0.minusSeconds(10), true);
        register("d1", TOKEN_1, T0.minusSeconds(100), true); // stale retry arriving late
        message("m-1");

        assertEquals(TOKEN_2, jobs().get(0).targets().get(0).token());
    }

    @Test
    void invalidToken_sameTokenRegisteredBefore_removesDevice() {
        start();
        register("d1", TOKEN_1, T0.minusSeconds(60), true);
        invalidToken("d1", TOKEN_1, T0.minusSeconds(30));
        message("m-1");

        assertTrue(jobs.isEmpty());
        assertEquals(1, count(DetectorMetrics.TOKENS_REMOVED, "reason", "invalid-token"));
    }

    @Test
    void invalidToken_afterTokenRefresh_keepsDevice() {
        start();
        register("d1", TOKEN_1, T0.minusSeconds(60), true);
        register("d1", TOKEN_2, T0.minusSeconds(20), true); // refreshed
        invalidToken("d1", TOKEN_1, T0.minusSeconds(30));
        message("m-1");

        assertEquals(TOKEN_2, jobs().get(0).targets().get(0).token());
        assertEquals(0, count(DetectorMetrics.TOKENS_REMOVED, "reason", "invalid-token"));
        assertEquals(1, count(DetectorMetrics.FEEDBACK_IGNORED));
    }

    @Test
    void invalidToken_sameTokenReRegisteredAfterInvalidation_keepsDevice() {
        start();
        // the app re-registered the same token after the vendor's verdict: it is valid again
        register("d1", TOKEN_1, T0.minusSeconds(10), true);
        invalidToken("d1", TOKEN_1, T0.minusSeconds(30));
        message("m-1");

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    // ---- gateway leases ----

    @Test
    void message_onGatewayWithExpiredLease_countsDeviceOffline() {
        start();
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0.minusSeconds(100));
        lease("gw-7", 30, T0);
        driver.advanceWallClockTime(Duration.ofSeconds(31)); // no heartbeat since: ran out 1 s ago
        message("m-1", "c-17", T0.plusSeconds(31), 86400);

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    @Test
    void gatewayClockBehindByMoreThanItsLease_keepsItsUsersOnline() {
        start();
        register("d1", TOKEN_1);
        Instant gatewayClock = T0.minusSeconds(60); // the gateway's clock runs 60 s behind the detector's
        presence("d1", "online", "gw-7", gatewayClock);
        lease("gw-7", 30, gatewayClock);
        message("m-1");

        assertTrue(jobs.isEmpty(), "the lease runs from when the detector received it, not from the gateway's at");
    }

    @Test
    void gatewayClockAhead_leaseStillRunsOutLeaseSecondsAfterReceipt() {
        start();
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0);
        lease("gw-7", 30, T0.plusSeconds(600)); // the gateway's clock runs 10 min ahead; then it dies
        driver.advanceWallClockTime(Duration.ofSeconds(31));
        message("m-1", "c-17", T0.plusSeconds(31), 86400);

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    @Test
    void gatewayLease_readLongAfterItWasWritten_asOnRestore_doesNotReviveGateway() {
        // a global store rebuilt from the topic sees every lease now: an hour-old record (by its
        // timestamp) must not count as a fresh heartbeat
        start(b -> b.requireGatewayLease(true));
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0.minusSeconds(3700));
        lease("gw-7", 30, T0.minusSeconds(3600));
        message("m-1");

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    @Test
    void gatewayRestart_newIncarnation_takesConnectionsOfTheOldOneDown() {
        start();
        register("d1", TOKEN_1);
        register("d2", TOKEN_2);
        lease("gw-7", 30, T0.minusSeconds(100), "boot-1");
        presence("d1", "online", "gw-7", T0.minusSeconds(100), "boot-1");
        // gw-7 crashes (no offline for d1) and comes back under the same id
        lease("gw-7", 30, T0.minusSeconds(5), "boot-2");
        presence("d2", "online", "gw-7", T0.minusSeconds(4), "boot-2");
        message("m-1");

        List<PushJob> out = jobs();
        assertEquals(1, out.size());
        assertEquals(List.of("d1"), deviceIds(out.get(0)), "d1's connection died with boot-1; d2's is live");
    }

    @Test
    void gatewayRestart_presenceWithoutIncarnation_takesTheGatewaysIncarnationAtThatTime() {
        start();
        register("d1", TOKEN_1);
        register("d2", TOKEN_2);
        lease("gw-7", 30, T0.minusSeconds(100), "boot-1");
        presence("d1", "online", "gw-7", T0.minusSeconds(100));
        lease("gw-7", 30, T0.minusSeconds(5), "boot-2");
        presence("d2", "online", "gw-7", T0.minusSeconds(4));
        message("m-1");

        List<PushJob> out = jobs();
        assertEquals(1, out.size());
        assertEquals(List.of("d1"), deviceIds(out.get(0)));
    }

    @Test
    void gatewayRestart_onHostWithClockBehind_newIncarnationIsAccepted() {
        start();
        register("d2", TOKEN_2);
        lease("gw-7", 30, T0, "boot-1");
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        // restarted on a host whose clock is 60 s behind: its at is older than boot-1's last one
        lease("gw-7", 30, T0.minusSeconds(50), "boot-2");
        presence("d2", "online", "gw-7", T0.minusSeconds(50), "boot-2");
        driver.advanceWallClockTime(Duration.ofSeconds(25)); // boot-1's lease would have run out by now
        message("m-1", "c-17", T0.plusSeconds(35), 86400);

        assertTrue(jobs.isEmpty(), "boot-2's lease, received 25 s ago, holds d2's connection up");
    }

    @Test
    void gatewayLease_ofReplacedIncarnationReplayedLater_isIgnored() {
        start();
        register("d2", TOKEN_2);
        lease("gw-7", 30, T0.minusSeconds(900), "boot-1");
        lease("gw-7", 30, T0.minusSeconds(5), "boot-2");
        presence("d2", "online", "gw-7", T0.minusSeconds(4), "boot-2");
        lease("gw-7", 30, T0.minusSeconds(900), "boot-1"); // replayed: far older than boot-2's heartbeat
        message("m-1");

        assertTrue(jobs.isEmpty(), "boot-2 still holds gw-7");
    }

    @Test
    void connectionOlderThanMaxAge_onGatewayWithoutLease_countsDeviceOffline() {
        start();
        register("d1", TOKEN_1);
        register("d2", TOKEN_2);
        presence("d1", "online", "gw-7", T0.minus(MAX_AGE.plusHours(1)));
        presence("d2", "online", "gw-7", T0.minus(MAX_AGE.minusHours(1)));
        message("m-1");

        List<PushJob> out = jobs();
        assertEquals(1, out.size());
        assertEquals(List.of("d1"), deviceIds(out.get(0)), "default max age 7 days");
    }

    @Test
    void connectionMaxAge_isConfigurable() {
        start(b -> b.connectionMaxAge(Duration.ofHours(1)));
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0.minusSeconds(3601));
        message("m-1");

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    @Test
    void connectionOlderThanMaxAge_refreshedByNewerPresence_staysLive() {
        start();
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0.minus(MAX_AGE.plusHours(1)));
        presence("d1", "online", "gw-7", T0.minusSeconds(60));
        message("m-1");

        assertTrue(jobs.isEmpty());
    }

    @Test
    void connection_recordedNow_expiresMaxAgeLaterByTheDetectorsClock() {
        start();
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0.plus(Duration.ofDays(30))); // a gateway clock far ahead
        driver.advanceWallClockTime(MAX_AGE.plusSeconds(1));
        message("m-1", "c-17", T0.plus(MAX_AGE), 86400);

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    @Test
    void connectionOlderThanMaxAge_onLiveGatewayOfTheSameIncarnation_staysLive() {
        start();
        register("d1", TOKEN_1);
        lease("gw-7", 30, T0.minus(MAX_AGE.plusHours(1)), "boot-1");
        presence("d1", "online", "gw-7", T0.minus(MAX_AGE.plusHours(1)), "boot-1");
        lease("gw-7", 30, T0.minusSeconds(5), "boot-1");
        message("m-1");

        assertTrue(jobs.isEmpty(), "the gateway that reported the connection still runs and would report its end");
    }

    @Test
    void message_onGatewayWithValidLease_countsDeviceOnline() {
        start();
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0.minusSeconds(10));
        lease("gw-7", 30, T0.minusSeconds(5));
        message("m-1");

        assertTrue(jobs.isEmpty());
    }

    @Test
    void message_onGatewayWithoutLease_whenLeaseRequired_countsDeviceOffline() {
        start(b -> b.requireGatewayLease(true));
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0);
        message("m-1");

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    @Test
    void gatewayRecord_invalid_isSkippedAndCounted() {
        start();
        gateways.pipeInput("gw-7", "{not json".getBytes(StandardCharsets.UTF_8));
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0);
        message("m-1");

        assertTrue(jobs.isEmpty(), "no lease record: the connection counts as live by default");
        assertEquals(1, count(DetectorMetrics.GATEWAYS_INVALID, "reason", "malformed"));
        assertTrue(dlq.isEmpty());
    }

    @Test
    void gatewayLease_olderOrRepeatedHeartbeatArrivingLate_doesNotReviveGateway() {
        start();
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0);
        lease("gw-7", 30, T0.minusSeconds(10));
        driver.advanceWallClockTime(Duration.ofSeconds(25));
        lease("gw-7", 30, T0.minusSeconds(100)); // replayed, older
        lease("gw-7", 30, T0.minusSeconds(10)); // delivered again
        driver.advanceWallClockTime(Duration.ofSeconds(6));
        message("m-1", "c-17", T0.plusSeconds(31), 86400);

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)), "the lease received at T0 ran out at T0+30");
    }

    @Test
    void gatewayLease_tombstone_removesLease() {
        start(b -> b.requireGatewayLease(true));
        lease("gw-7", 30, T0);
        gateways.pipeInput("gw-7", (byte[]) null);
        register("d1", TOKEN_1);
        presence("d1", "online", "gw-7", T0);
        message("m-1");

        assertEquals(List.of("d1"), deviceIds(jobs().get(0)));
    }

    // ---- acks and zombie connections: AckTrackingTest ----

    // ---- mutes ----

    @Test
    void message_inMutedConversation_isDropped() {
        start();
        register("d1", TOKEN_1);
        send("""
                {"v":1,"type":"mute","userId":"u42","conversationId":"c-17","muted":true,"at":"%s"}""".formatted(T0));
        message("m-1", "c-17", T0, 86400);
        message("m-2", "c-other", T0, 86400);

        List<PushJob> out = jobs();
        assertEquals(1, out.size());
        assertEquals("m-2", out.get(0).messageId());
        assertEquals(1, count(DetectorMetrics.DROPPED, "reason", "muted"));
    }

    @Test
    void message_afterMuteAllEnded_isPushed() {
        start();
        register("d1", TOKEN_1);
        send("""
                {"v":1,"type":"mute","userId":"u42","muted":true,"until":"%s","at":"%s"}"""
                .formatted(T0.plusSeconds(60), T0));
        message("m-1");
        assertTrue(jobs.isEmpty());

        driver.advanceWallClockTime(Duration.ofSeconds(61));
        message("m-2", "c-17", T0.plusSeconds(61), 86400);
        assertEquals(1, jobs().size());
    }

    @Test
    void message_afterUnmute_isPushed() {
        start();
        register("d1", TOKEN_1);
        send("""
                {"v":1,"type":"mute","userId":"u42","conversationId":"c-17","muted":true,"at":"%s"}"""
                .formatted(T0.minusSeconds(10)));
        send("""
                {"v":1,"type":"mute","userId":"u42","conversationId":"c-17","muted":false,"at":"%s"}""".formatted(T0));
        message("m-1");

        assertEquals(1, jobs().size());
    }

    // ---- poison input ----

    @Test
    void malformedUnknownTypeAndUnknownVersion_goToDlq_andProcessingContinues() {
        start();
        register("d1", TOKEN_1);
        List<String> poison = List.of(
                "{\"v\":1,\"type\":\"message\",",
                "{\"v\":1,\"type\":\"teleport\",\"userId\":\"u42\"}",
                "{\"v\":2,\"type\":\"acked\",\"messageId\":\"m\",\"userId\":\"u42\",\"deviceId\":\"d1\",\"at\":\"" + T0 + "\"}");
        poison.forEach(this::send);
        message("m-1");

        List<DeadLetter> letters = dlq.readRecordsToList().stream().map(r -> {
            assertEquals(USER, r.key());
            return ((Decoded.Ok<DeadLetter>) ContractCodec.deadLetters().decode(r.value())).value();
        }).toList();
        assertEquals(List.of(DeadLetterReason.MALFORMED, DeadLetterReason.UNKNOWN_TYPE,
                DeadLetterReason.UNSUPPORTED_VERSION), letters.stream().map(DeadLetter::reason).toList());
        for (int i = 0; i < poison.size(); i++) {
            DeadLetter letter = letters.get(i);
            assertEquals(poison.get(i), new String(Base64.getDecoder().decode(letter.rawBase64()), StandardCharsets.UTF_8));
            assertFalse(letter.rawTruncated());
            assertEquals("im.events", letter.source().topic());
            assertEquals(USER, letter.source().key());
            assertEquals("impush-offline-detector", letter.stoppedBy());
            assertEquals(T0, letter.at());
            assertFalse(letter.detail().isBlank());
        }
        assertEquals(1, jobs().size(), "the valid event after the poison is processed");
        assertEquals(1, count(DetectorMetrics.DEAD_LETTERS, "reason", "malformed"));
    }

    @Test
    void oversizedEvent_goesToDlqWithTruncatedRawBytes() {
        start();
        byte[] huge = ("{\"v\":1,\"type\":\"message\",\"preview\":\"" + "x".repeat(70_000) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        events.pipeInput(USER, huge);

        DeadLetter letter = ((Decoded.Ok<DeadLetter>) ContractCodec.deadLetters().decode(dlq.readValue())).value();
        assertEquals(DeadLetterReason.OVERSIZED, letter.reason());
        assertTrue(letter.rawTruncated());
        assertEquals(64 * 1024, Base64.getDecoder().decode(letter.rawBase64()).length);
    }

    @Test
    void event_keyedByAnotherUser_goesToDlq() {
        start();
        events.pipeInput("u-other", """
                {"v":1,"type":"acked","messageId":"m","userId":"u42","deviceId":"d1","at":"2026-11-25T08:00:00Z"}"""
                .getBytes(StandardCharsets.UTF_8));

        DeadLetter letter = ((Decoded.Ok<DeadLetter>) ContractCodec.deadLetters().decode(dlq.readValue())).value();
        assertEquals(DeadLetterReason.INVALID, letter.reason());
        assertTrue(letter.detail().contains("u-other"), letter.detail());
    }

    @Test
    void invalidFeedback_goesToDlq() {
        start();
        feedback.pipeInput(USER, "{\"v\":1,\"type\":\"invalid-token\",\"userId\":\"u42\"}".getBytes(StandardCharsets.UTF_8));

        DeadLetter letter = ((Decoded.Ok<DeadLetter>) ContractCodec.deadLetters().decode(dlq.readValue())).value();
        assertEquals(DeadLetterReason.INVALID, letter.reason());
        assertEquals("push.feedback", letter.source().topic());
    }
}
