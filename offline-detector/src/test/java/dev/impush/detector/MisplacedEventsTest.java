package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.processor.PlacementCheck;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.PushJob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
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
 * Events on another partition than Kafka's default partitioner gives their user id. The test driver
 * reads every record from partition 0 of a topic said to have {@value #PARTITIONS} partitions, so a
 * user whose id hashes elsewhere is misplaced, as if a non-Java producer had written it.
 */
class MisplacedEventsTest {
    private static final int PARTITIONS = 4;
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");
    private static final String IN_PLACE = user(true);
    private static final String MISPLACED = user(false);

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestInputTopic<String, byte[]> feedback;
    private TestOutputTopic<String, byte[]> jobs;
    private TestOutputTopic<String, byte[]> dlq;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void partitionFor_isTheJavaProducersDefault() {
        IntStream.range(0, 2_000).mapToObj(i -> "u" + i).forEach(key -> {
            for (int n : new int[] {1, 3, 12, 64}) {
                assertEquals(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), n),
                        PlacementCheck.partitionFor(key, n), key + " over " + n);
            }
        });
    }

    @Test
    void reroute_misplacedEventsStillReachTheirUsersDevicesAndFeedback() {
        start(MisplacedEvents.REROUTE);
        for (String user : List.of(IN_PLACE, MISPLACED)) {
            register(user);
            message(user, user + "-m1");
        }
        assertEquals(List.of(IN_PLACE + "-m1", MISPLACED + "-m1"), messageIds(), "both users pushed");

        invalidToken(MISPLACED);
        message(MISPLACED, MISPLACED + "-m2");
        assertEquals(List.of(), messageIds(), "the token the feedback removed is gone from the rerouted user's devices");
        assertTrue(dlq.isEmpty());
        assertEquals(3, count("reroute"), "the misplaced user's register and two messages");
    }

    @Test
    void deadLetter_misplacedEventsAreRefusedWithTheirReason() {
        start(MisplacedEvents.DEAD_LETTER);
        for (String user : List.of(IN_PLACE, MISPLACED)) {
            register(user);
            message(user, user + "-m1");
        }
        assertEquals(List.of(IN_PLACE + "-m1"), messageIds());
        List<DeadLetter> letters = dlq.readValuesToList().stream()
                .map(v -> ((Decoded.Ok<DeadLetter>) ContractCodec.deadLetters().decode(v)).value()).toList();
        assertEquals(2, letters.size());
        letters.forEach(l -> {
            assertEquals(DeadLetterReason.MISPLACED, l.reason());
            assertEquals(MISPLACED, l.source().key());
            assertTrue(l.detail().contains("puts its key on " + PlacementCheck.partitionFor(MISPLACED, PARTITIONS)),
                    l.detail());
        });
        assertEquals(2, count("dead-letter"));
    }

    private void start(MisplacedEvents mode) {
        DetectorConfig config = DetectorConfig.builder().stateDir(stateDir).misplacedEvents(mode).build();
        driver = TestDrivers.of(DetectorTopology.build(config, registry, new ScriptedInput(), PARTITIONS), config,
                registry, T0);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        feedback = driver.createInputTopic(config.feedbackTopic(), new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createOutputTopic(config.jobsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(config.dlqTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** A user id that Kafka's default partitioner puts on partition 0 ({@code inPlace}) or elsewhere. */
    private static String user(boolean inPlace) {
        return IntStream.range(0, 100).mapToObj(i -> "user-" + i)
                .filter(u -> (PlacementCheck.partitionFor(u, PARTITIONS) == 0) == inPlace).findFirst().orElseThrow();
    }

    private void register(String user) {
        events.pipeInput(user, json("""
                {"v":1,"type":"device","action":"register","userId":"%s","deviceId":"d1","channel":"apns",\
                "token":"%s","appId":"com.example.chat","sandbox":false,"locale":"zh-CN",\
                "previewEnabled":true,"registeredAt":"%s"}""".formatted(user, "a".repeat(64), T0.minusSeconds(60))));
    }

    private void message(String user, String messageId) {
        events.pipeInput(user, json("""
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"c-1",\
                "conversationType":"direct","senderId":"u7","senderName":"Alice","preview":"lunch?",\
                "mentioned":false,"sentAt":"%s","ttlSeconds":3600,"priority":"high","silent":false}"""
                .formatted(messageId, user, T0)));
    }

    private void invalidToken(String user) {
        feedback.pipeInput(user, json("""
                {"v":1,"type":"invalid-token","userId":"%s","deviceId":"d1","channel":"apns","token":"%s",\
                "invalidatedAt":"%s","reason":"Unregistered"}""".formatted(user, "a".repeat(64), T0.plusSeconds(1))));
    }

    private List<String> messageIds() {
        ContractCodec<PushJob> codec = ContractCodec.jobs(Integer.MAX_VALUE);
        return jobs.readValuesToList().stream()
                .map(v -> ((Decoded.Ok<PushJob>) codec.decode(v)).value().messageId()).toList();
    }

    private double count(String action) {
        var counter = registry.find(DetectorMetrics.MISPLACED).tag("action", action).counter();
        assertNotEquals(null, counter, "no " + action + " counter");
        return counter.count();
    }

    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
