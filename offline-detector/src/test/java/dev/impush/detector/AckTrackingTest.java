package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.detector.state.DetectorStores;
import dev.impush.detector.state.UserPending;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
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

/**
 * Ack tracking on the production topology: the three contracts ({@link AckTracking}), deadlines on
 * the events' time (stream time) and on the broker's evidence for idle partitions, and acks read
 * before their message. Ack timeout 10 s, grace 2 s, a punctuation every second.
 *
 * <p>Records carry the timestamp their producer gave them (its {@code CreateTime}); unless a test
 * says otherwise that is the detector's clock when they are piped in: producers and detector in step.
 */
class AckTrackingTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final String USER = "u42";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration GRACE = Duration.ofSeconds(2);

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ScriptedInput input = new ScriptedInput();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> jobs;
    /** The detector's wall clock (and, unless said otherwise, the producers'). */
    private Instant clock = T0;

    private void start(AckTracking mode) {
        start(mode, b -> b);
    }

    private void start(AckTracking mode, UnaryOperator<DetectorConfig.Builder> tweak) {
        // each message pushes on its own here: coalescing has its own tests (CoalescingTest)
        DetectorConfig config = tweak.apply(DetectorConfig.builder().coalescing(CoalesceSettings.OFF)
                .stateDir(stateDir)
                .ackTracking(mode)
                .ackTimeout(TIMEOUT)
                .ackGrace(GRACE)
                .punctuateInterval(Duration.ofSeconds(1))).build();
        driver = TestDrivers.of(DetectorTopology.build(config, registry, input, 1), config, registry, T0);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createOutputTopic(config.jobsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    /** The wall clock moves on (a punctuation runs). */
    private void advance(Duration d) {
        clock = clock.plus(d);
        driver.advanceWallClockTime(d);
    }

    /** Moves the wall clock to {@code T0 + seconds}. */
    private void advanceTo(double seconds) {
        advance(Duration.between(clock, T0.plusMillis((long) (seconds * 1000))));
    }

    private void send(String json) {
        sendAt(json, clock);
    }

    /** A record its producer stamped {@code createTime}, read now. */
    private void sendAt(String json, Instant createTime) {
        events.pipeInput(USER, json.getBytes(StandardCharsets.UTF_8), createTime);
    }

    private void online(String... deviceIds) {
        for (String d : deviceIds) {
            send("""
                    {"v":1,"type":"device","action":"register","userId":"%s","deviceId":"%s","channel":"apns",\
                    "token":"%s","appId":"com.example.chat","sandbox":false,"registeredAt":"%s"}"""
                    .formatted(USER, d, d.repeat(64 / d.length() + 1).substring(0, 64), T0.minusSeconds(60)));
            send("""
                    {"v":1,"type":"presence","userId":"%s","deviceId":"%s","state":"online","gatewayId":"gw-7","at":"%s"}"""
                    .formatted(USER, d, T0.minusSeconds(30)));
        }
    }

    private void offline(String deviceId) {
        send("""
                {"v":1,"type":"device","action":"register","userId":"%s","deviceId":"%s","channel":"apns",\
                "token":"%s","appId":"com.example.chat","sandbox":false,"registeredAt":"%s"}"""
                .formatted(USER, deviceId, "f".repeat(64), T0.minusSeconds(60)));
    }

    private String messageJson(String messageId, long ttl) {
        return """
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"c-17",\
                "conversationType":"group","senderId":"u7","senderName":"Alice","preview":"lunch?",\
                "mentioned":false,"sentAt":"%s","ttlSeconds":%d,"priority":"high","silent":false}"""
                .formatted(messageId, USER, clock, ttl);
    }

    private void message(String messageId) {
        send(messageJson(messageId, 86400));
    }

    private String ackJson(String type, String messageId, String deviceId) {
        return """
                {"v":1,"type":"%s","messageId":"%s","userId":"%s","deviceId":"%s","at":"%s"}"""
                .formatted(type, messageId, USER, deviceId, clock);
    }

    private void routed(String messageId, String... deviceIds) {
        for (String d : deviceIds) {
            send(ackJson("routed", messageId, d));
        }
    }

    private void acked(String messageId, String... deviceIds) {
        for (String d : deviceIds) {
            send(ackJson("acked", messageId, d));
        }
    }

    /** Any other event on the partition (another user's presence): it shows the partition was read up to its time. */
    private void otherEventAt(Instant createTime) {
        events.pipeInput("u-other", """
                {"v":1,"type":"presence","userId":"u-other","deviceId":"x","state":"offline","at":"%s"}"""
                .formatted(createTime).getBytes(StandardCharsets.UTF_8), createTime);
    }

    /** Zombie pushes made so far, as "message/device". */
    private List<String> zombies() {
        ContractCodec<PushJob> codec = ContractCodec.jobs(Integer.MAX_VALUE);
        return jobs.readValuesToList().stream().map(v -> switch (codec.decode(v)) {
            case Decoded.Ok<PushJob> ok -> ok.value();
            case Decoded.Invalid<PushJob> bad -> throw new AssertionError("invalid job: " + bad);
        }).filter(j -> j.jobId().contains("/zombie/"))
                .map(j -> j.messageId() + "/" + j.targets().stream().map(PushTarget::deviceId).findFirst().orElseThrow())
                .toList();
    }

    private boolean isEmpty(String store) {
        try (var it = driver.getKeyValueStore(store).all()) {
            return !it.hasNext();
        }
    }

    private boolean ackStateEmpty() {
        return isEmpty(DetectorStores.PENDING_ACKS) && isEmpty(DetectorStores.ACK_DEADLINES);
    }

    private double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    // ---- the contracts ----

    @Test
    void routed_deviceRoutedButNeverAcked_isPushedAfterTheTimeoutAndGrace_onlyThatDevice() {
        start(AckTracking.ROUTED);
        online("d1", "d2");
        message("m-1");
        routed("m-1", "d1", "d2");
        acked("m-1", "d2");

        advanceTo(11);
        assertEquals(List.of(), zombies(), "past the timeout, but not yet past it plus the grace");
        advanceTo(12.5);
        assertEquals(List.of("m-1/d1"), zombies());
        assertEquals(1, count(DetectorMetrics.JOBS, "trigger", "ack-timeout"));
        assertEquals(1, count(DetectorMetrics.ACKS, "outcome", "acked"));

        advanceTo(60);
        assertEquals(List.of(), zombies(), "pushed once, then forgotten");
        assertTrue(ackStateEmpty());
    }

    @Test
    void routed_platformSendingNeitherRoutedNorAcked_neverPushesAnOnlineDevice() {
        start(AckTracking.ROUTED);
        online("d1");
        message("m-1");
        advance(Duration.ofSeconds(3));
        message("m-2");
        advanceTo(120);

        assertEquals(List.of(), zombies());
        assertTrue(jobs.isEmpty());
        assertEquals(2, count(DetectorMetrics.ACKS, "outcome", "never-routed"));
        assertTrue(ackStateEmpty(), "the messages are forgotten one ack timeout after they were read");
    }

    @Test
    void routed_ackedInTime_noPush() {
        start(AckTracking.ROUTED);
        online("d1");
        message("m-1");
        routed("m-1", "d1");
        advance(Duration.ofSeconds(9));
        acked("m-1", "d1");
        advanceTo(120);

        assertEquals(List.of(), zombies());
        assertTrue(ackStateEmpty());
    }

    @Test
    void routed_routedAgain_restartsTheDeadline() {
        start(AckTracking.ROUTED);
        online("d1");
        message("m-1");
        routed("m-1", "d1");
        advance(Duration.ofSeconds(8));
        routed("m-1", "d1"); // delivered again over a new connection: due at T0+18
        advanceTo(19.5);
        assertEquals(List.of(), zombies());
        advanceTo(21);
        assertEquals(List.of("m-1/d1"), zombies());
    }

    @Test
    void routed_lateRouted_afterTheWaitForItEnded_startsNothing() {
        start(AckTracking.ROUTED);
        online("d1");
        message("m-1");
        advanceTo(13);
        routed("m-1", "d1"); // the wait for a routed ended at T0+10: this one is remembered as early, then forgotten
        advanceTo(60);
        assertEquals(List.of(), zombies());
        assertTrue(ackStateEmpty());
    }

    @Test
    void routed_toADeviceOfflineAtTheMessage_startsNoDeadline() {
        start(AckTracking.ROUTED);
        offline("d1");
        message("m-1"); // d1 is pushed now
        routed("m-1", "d1"); // it came online and synced the message
        advanceTo(60);

        assertEquals(1, count(DetectorMetrics.JOBS, "trigger", "message"));
        assertEquals(List.of(), zombies());
    }

    @Test
    void message_everyOnlineDeviceWithoutAck_isPushed_routedOrNot() {
        start(AckTracking.MESSAGE);
        online("d1", "d2", "d3");
        message("m-1");
        acked("m-1", "d1");
        routed("m-1", "d2");
        advanceTo(11);
        assertEquals(List.of(), zombies());
        advanceTo(12.5);
        assertEquals(List.of("m-1/d2", "m-1/d3"), zombies().stream().sorted().toList());
        assertTrue(ackStateEmpty());
    }

    @Test
    void message_routedRestartsTheDeadline() {
        start(AckTracking.MESSAGE);
        online("d1");
        message("m-1");
        advance(Duration.ofSeconds(8));
        routed("m-1", "d1"); // due at T0+18 now
        advanceTo(19.5);
        assertEquals(List.of(), zombies());
        advanceTo(21);
        assertEquals(List.of("m-1/d1"), zombies());
    }

    @Test
    void off_tracksNothing() {
        start(AckTracking.OFF);
        online("d1");
        message("m-1");
        routed("m-1", "d1");
        advanceTo(120);

        assertEquals(List.of(), zombies());
        assertTrue(ackStateEmpty());
        assertEquals(1, count(DetectorMetrics.EVENTS, "type", "routed"));
    }

    // ---- deadlines on the events' time ----

    /**
     * The detector stalls (a GC pause, SIGSTOP, a rebalance, a restore) for longer than the ack
     * timeout between reading a routed and its acked: its wall clock passed the deadline, its input
     * did not. On resuming it reads the ack first; only the device that really did not ack is pushed,
     * once the events read show the deadline passed.
     */
    @Test
    void detectorStalledPastTheTimeout_ackReadAfterwards_noPush() {
        input.caughtUpLastAt(T0); // a busy partition: the probe saw it caught up last at T0
        start(AckTracking.ROUTED);
        online("d1", "d2");
        message("m-1");
        routed("m-1", "d1", "d2");

        advance(Duration.ofSeconds(30)); // stalled: nothing read, the wall clock runs
        assertEquals(List.of(), zombies(), "the wall clock alone fires nothing");
        sendAt(ackJson("acked", "m-1", "d1"), T0.plusSeconds(1)); // sent in time, read 29 s later
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(), zombies(), "the input is not yet read past the deadline");

        otherEventAt(T0.plusSeconds(12)); // read past the deadline (T0+10) plus the grace
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("m-1/d2"), zombies());
    }

    @Test
    void wallClockWithoutEvidence_firesNothing_streamTimeDoes() {
        input.caughtUpLastAt(null); // never seen caught up: every probe found records still to read
        start(AckTracking.ROUTED);
        online("d1");
        message("m-1");
        routed("m-1", "d1");
        advanceTo(300);
        assertEquals(List.of(), zombies());

        otherEventAt(T0.plusMillis(11_900));
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(), zombies(), "11.9 s: not past 10 s plus 2 s of grace");
        otherEventAt(T0.plusSeconds(12));
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("m-1/d1"), zombies());
    }

    @Test
    void backlogReadLongAfterItWasProduced_runsOnItsOwnTime() {
        input.caughtUpLastAt(null);
        start(AckTracking.ROUTED);
        online("d1", "d2");
        advanceTo(600); // the detector starts reading a backlog 10 minutes old
        Instant produced = T0;
        for (int i = 0; i < 30; i++, produced = produced.plusSeconds(1)) {
            sendAt(messageJson("m-" + i, 86400), produced);
            sendAt(ackJson("routed", "m-" + i, "d1"), produced);
            sendAt(ackJson("routed", "m-" + i, "d2"), produced);
            sendAt(ackJson("acked", "m-" + i, "d1"), produced.plusMillis(300));
            if (i % 3 == 0) {
                advance(Duration.ofMillis(500)); // punctuations while catching up
            }
        }
        advance(Duration.ofSeconds(1));
        // read up to T0+29.3: d2's deadlines up to T0+17.3 have passed (plus grace), d1 acked every one
        List<String> pushed = zombies();
        assertEquals(18, pushed.size(), pushed.toString());
        assertTrue(pushed.stream().allMatch(z -> z.endsWith("/d2")), pushed.toString());
    }

    @Test
    void producerClockAhead_doesNotFireOtherDeadlinesEarly() {
        input.caughtUpLastAt(null);
        start(AckTracking.ROUTED);
        online("d1");
        message("m-1");
        routed("m-1", "d1");
        otherEventAt(T0.plusSeconds(3600)); // a producer whose clock is an hour ahead
        advance(Duration.ofSeconds(5));
        acked("m-1", "d1");
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(), zombies());
    }

    // ---- broker outages ----

    /**
     * The broker is away 19 s. Before it went, d1 and d2 were routed; d1 acked during the outage,
     * in time, and its gateway held the ack until the broker came back. Another producer got its
     * held-back records (stamped during the outage, after the deadline) in first: they must not
     * fire the deadline before d1's ack is read. Only events produced after the broker came back
     * (plus the grace) vouch for the input.
     */
    @Test
    void brokerAway_ackHeldBackByItsProducer_otherProducersFirst_noPush() {
        start(AckTracking.ROUTED);
        online("d1", "d2");
        message("m-1");
        routed("m-1", "d1", "d2");
        advance(Duration.ofSeconds(1));
        input.brokerAway(T0.plusSeconds(1));
        advanceTo(20);
        assertEquals(List.of(), zombies(), "nothing fires while the broker is away");

        input.brokerBackAt(T0.plusSeconds(20));
        otherEventAt(T0.plusSeconds(15)); // another producer's held-back record, stamped after the deadline
        advance(Duration.ofMillis(500));
        assertEquals(List.of(), zombies(), "held-back records arrive in any order");
        sendAt(ackJson("acked", "m-1", "d1"), T0.plusSeconds(2)); // d1's gateway flushes its ack
        advanceTo(22.5);
        assertEquals(List.of(), zombies(), "no event produced since the broker came back (plus the grace) read yet");
        otherEventAt(T0.plusMillis(22_500)); // produced after the broker came back, plus the grace
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("m-1/d2"), zombies());
    }

    @Test
    void brokerAway_idlePartition_firesOnlyOnceTheBrokerShowsTheAcksWereRead() {
        start(AckTracking.ROUTED);
        online("d1", "d2");
        message("m-1");
        routed("m-1", "d1", "d2");
        advance(Duration.ofSeconds(1));
        input.brokerAway(T0.plusSeconds(1));
        advanceTo(30);
        assertEquals(List.of(), zombies());

        input.brokerBackAt(T0.plusSeconds(30));
        sendAt(ackJson("acked", "m-1", "d1"), T0.plusSeconds(3)); // held back in its producer
        advance(Duration.ofSeconds(1));
        assertEquals(List.of(), zombies(), "the broker has not answered for the grace yet");
        input.caughtUpLastAt(T0.plusSeconds(32)); // answered since T0+30, partition read to its end
        advance(Duration.ofSeconds(1));
        assertEquals(List.of("m-1/d2"), zombies());
    }

    // ---- acks read before their message ----

    @Test
    void routed_ackedBeforeItsMessage_isRemembered_noPush() {
        start(AckTracking.ROUTED);
        online("d1");
        routed("m-1", "d1");
        acked("m-1", "d1");
        advance(Duration.ofMillis(500));
        message("m-1"); // from a slower producer
        advanceTo(60);

        assertEquals(List.of(), zombies());
        assertEquals(2, count(DetectorMetrics.ACKS, "outcome", "early"));
        assertEquals(1, count(DetectorMetrics.ACKS, "outcome", "early-used"));
        assertTrue(ackStateEmpty());
    }

    @Test
    void message_ackedBeforeItsMessage_isRemembered_noPush() {
        start(AckTracking.MESSAGE);
        online("d1", "d2");
        acked("m-1", "d1");
        advance(Duration.ofSeconds(2));
        message("m-1");
        advanceTo(60);

        assertEquals(List.of("m-1/d2"), zombies());
        assertTrue(ackStateEmpty());
    }

    @Test
    void routedBeforeItsMessage_deadlineRunsFromTheRouted() {
        start(AckTracking.ROUTED);
        online("d1");
        routed("m-1", "d1");
        advance(Duration.ofSeconds(3));
        message("m-1");
        advanceTo(11.5);
        assertEquals(List.of(), zombies());
        advanceTo(12.5);
        assertEquals(List.of("m-1/d1"), zombies(), "due at T0+10, not T0+13");
    }

    @Test
    void earlyAck_whoseMessageNeverComes_isForgottenAfterTheAckTimeout() {
        start(AckTracking.MESSAGE);
        online("d1");
        acked("m-1", "d1");
        advanceTo(13);
        assertEquals(1, count(DetectorMetrics.ACKS, "outcome", "early-expired"));
        assertTrue(ackStateEmpty());

        message("m-1"); // much later: waited for again
        advanceTo(26);
        assertEquals(List.of("m-1/d1"), zombies());
    }

    @Test
    void earlyAcks_areCappedPerUser() {
        start(AckTracking.ROUTED);
        online("d1");
        for (int i = 0; i < UserPending.MAX_EARLY + 6; i++) {
            acked("m-" + i, "d1");
        }
        assertEquals(6, count(DetectorMetrics.CAPPED, "limit", "early"));
        UserPending stored = (UserPending) driver.getKeyValueStore(DetectorStores.PENDING_ACKS).get(USER);
        assertEquals(UserPending.MAX_EARLY, stored.early().size());
        assertEquals("m-6", stored.early().getFirst().messageId(), "the oldest went");
        advanceTo(13);
        assertTrue(ackStateEmpty(), "each forgotten after the ack timeout, the evicted ones' entries too");
    }

    // ---- what a passed deadline still checks ----

    @Test
    void deadlines_scheduledAfterEarlierScans_stillFire() {
        start(AckTracking.ROUTED);
        online("d1");
        message("m-1");
        routed("m-1", "d1");
        advanceTo(13);
        assertEquals(List.of("m-1/d1"), zombies());

        // later scans start past what earlier ones handled; a deadline set after them is still found
        advanceTo(33);
        message("m-2");
        routed("m-2", "d1");
        advanceTo(44);
        assertEquals(List.of(), zombies());
        advanceTo(46);
        assertEquals(List.of("m-2/d1"), zombies());
    }

    @Test
    void ackTimeout_ofAnUnregisteredDevice_noPush() {
        start(AckTracking.ROUTED);
        online("d1");
        message("m-1");
        routed("m-1", "d1");
        send("""
                {"v":1,"type":"device","action":"unregister","userId":"%s","deviceId":"d1","sandbox":false}"""
                .formatted(USER));
        advanceTo(30);
        assertEquals(List.of(), zombies());
    }

    @Test
    void pendingAck_ofAMessageExpiredBeforeItsDeadline_isPurgedWithoutPush() {
        start(AckTracking.ROUTED);
        online("d1");
        send(messageJson("m-1", 5));
        routed("m-1", "d1");
        advanceTo(30);

        assertEquals(List.of(), zombies());
        assertNull(driver.getKeyValueStore(DetectorStores.PENDING_ACKS).get(USER));
        assertTrue(ackStateEmpty());
    }
}
