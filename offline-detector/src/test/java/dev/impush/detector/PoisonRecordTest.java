package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.job.PushJob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record must never stop the detector: numeric extremes and out-of-range times are refused by
 * the contract and dead-lettered with their reason, and a record that still makes processing fail
 * is dead-lettered by the exception handler while the records around it go through.
 */
class PoisonRecordTest {
    private static final Instant T0 = Instant.parse("2026-11-25T08:00:00Z");
    private static final String USER = "u42";

    @TempDir
    Path stateDir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ContractCodec<DeadLetter> letters = ContractCodec.deadLetters();
    private DetectorConfig config;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> events;
    private TestOutputTopic<String, byte[]> jobs;
    private TestOutputTopic<String, byte[]> dlq;

    private void start(Topology topology) {
        driver = TestDrivers.of(topology, config, registry, T0);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createOutputTopic(config.jobsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(config.dlqTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    private void startDetector() {
        // each message pushes on its own: the messages around a poison record share a group conversation
        config = DetectorConfig.builder().stateDir(stateDir).coalescing(CoalesceSettings.OFF).build();
        start(DetectorTopology.build(config, registry, new ScriptedInput(), 1));
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

    private static String message(String messageId, String sentAt, String ttl, String badge) {
        return """
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"c-1","senderName":"Al",\
                "preview":"hi","mentioned":false,"badge":%s,"sentAt":"%s","ttlSeconds":%s,"silent":false}"""
                .formatted(messageId, USER, badge, sentAt, ttl);
    }

    private static String message(String messageId) {
        return message(messageId, T0.toString(), "3600", "1");
    }

    private List<DeadLetter> deadLetters() {
        return dlq.readValuesToList().stream().map(v -> switch (letters.decode(v)) {
            case Decoded.Ok<DeadLetter> ok -> ok.value();
            case Decoded.Invalid<DeadLetter> bad -> throw new AssertionError("unreadable dead letter: " + bad);
        }).toList();
    }

    private List<String> jobMessageIds() {
        ContractCodec<PushJob> codec = ContractCodec.jobs(Integer.MAX_VALUE);
        return jobs.readValuesToList().stream()
                .map(v -> ((Decoded.Ok<PushJob>) codec.decode(v)).value().messageId()).toList();
    }

    @Test
    void numericExtremes_areDeadLetteredWithTheirReason_andTheMessagesAroundThemArePushed() {
        startDetector();
        send("""
                {"v":1,"type":"device","action":"register","userId":"u42","deviceId":"d1","channel":"apns",\
                "token":"%s","appId":"com.example.chat","sandbox":false,"registeredAt":"%s"}"""
                .formatted("a".repeat(64), T0.minusSeconds(60)));
        List<String> hostile = List.of(
                message("m-ttl-max", T0.toString(), Long.toString(Long.MAX_VALUE), "1"),
                message("m-ttl-neg", T0.toString(), "-1", "1"),
                message("m-ttl-big", T0.toString(), Long.toString(MessageEvent.MAX_TTL_SECONDS + 1), "1"),
                message("m-year-max", "+999999999-12-31T23:59:59Z", "60", "1"),
                message("m-year-min", "-999999999-01-01T00:00:00Z", "60", "1"),
                message("m-badge-neg", T0.toString(), "60", "-5"),
                message("m-badge-huge", T0.toString(), "60", Integer.toString(Integer.MAX_VALUE)),
                """
                {"v":1,"type":"presence","userId":"u42","deviceId":"d9","state":"online","gatewayId":"g",\
                "at":"+999999999-12-31T23:59:59Z"}""",
                """
                {"v":1,"type":"mute","userId":"u42","muted":true,"until":"+999999999-12-31T23:59:59Z",\
                "at":"2026-11-25T08:00:00Z"}""");
        send(message("m-before"));
        hostile.forEach(this::send);
        send(message("m-after"));

        assertEquals(List.of("m-before", "m-after"), jobMessageIds());
        List<DeadLetter> dead = deadLetters();
        assertEquals(hostile.size(), dead.size(), "every hostile record is dead-lettered: " + dead);
        for (DeadLetter d : dead) {
            assertEquals(DeadLetterReason.INVALID, d.reason(), d.detail());
            assertTrue(d.detail().contains("must lie between"), d.detail());
        }
    }

    @Test
    void gatewayLeaseExtremes_areSkipped_andLiveConnectionsStayDecidable() {
        startDetector();
        var gateways = driver.createInputTopic(config.gatewaysTopic(), new StringSerializer(), new ByteArraySerializer());
        for (String seconds : List.of("0", "-1", Long.toString(Long.MAX_VALUE), "3601")) {
            gateways.pipeInput("g1", ("""
                    {"v":1,"type":"gateway","gatewayId":"g1","leaseSeconds":%s,"at":"%s"}"""
                    .formatted(seconds, T0)).getBytes(StandardCharsets.UTF_8));
        }
        gateways.pipeInput("g1", """
                {"v":1,"type":"gateway","gatewayId":"g1","leaseSeconds":30,"at":"+999999999-12-31T23:59:59Z"}"""
                .getBytes(StandardCharsets.UTF_8));
        send("""
                {"v":1,"type":"device","action":"register","userId":"u42","deviceId":"d1","channel":"apns",\
                "token":"%s","appId":"com.example.chat","sandbox":false,"registeredAt":"%s"}"""
                .formatted("a".repeat(64), T0.minusSeconds(60)));
        send("""
                {"v":1,"type":"presence","userId":"u42","deviceId":"d1","state":"online","gatewayId":"g1","at":"%s"}"""
                .formatted(T0));
        send(message("m-1"));
        // no lease was accepted, so the connection counts as live (lease not required): no push now
        assertEquals(List.of(), jobMessageIds());
        assertEquals(5, registry.find(DetectorMetrics.GATEWAYS_INVALID).counters().stream()
                .mapToDouble(c -> c.count()).sum());
    }

    /** A processor that fails on one value, standing in for a bug no validation foresaw. */
    private static final class FailsOn implements Processor<String, byte[], String, byte[]> {
        private ProcessorContext<String, byte[]> context;

        @Override
        public void init(ProcessorContext<String, byte[]> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (new String(record.value(), StandardCharsets.UTF_8).contains("boom")) {
                throw new ArithmeticException("long overflow");
            }
            context.forward(record);
        }
    }

    @Test
    void aRecordThatFailsProcessing_isDeadLetteredWithItsRawBytes_andThePartitionMovesOn() {
        // each message pushes on its own: the messages around a poison record share a group conversation
        config = DetectorConfig.builder().stateDir(stateDir).coalescing(CoalesceSettings.OFF).build();
        Topology t = new Topology();
        t.addSource("in", new StringDeserializer(), new ByteArrayDeserializer(), config.eventsTopic());
        t.addProcessor("fails-on-boom", FailsOn::new, "in");
        t.addSink("out", config.jobsTopic(), new StringSerializer(), new ByteArraySerializer(), "fails-on-boom");
        start(t);

        send("{\"n\":1}");
        send("{\"n\":\"boom\"}");
        send("{\"n\":3}");

        assertEquals(2, jobs.readValuesToList().size(), "the records around the failing one go through");
        List<DeadLetter> dead = deadLetters();
        assertEquals(1, dead.size());
        DeadLetter d = dead.getFirst();
        assertEquals(DeadLetterReason.PROCESSING_FAILED, d.reason());
        assertTrue(d.detail().contains("fails-on-boom") && d.detail().contains("long overflow"), d.detail());
        assertEquals(config.eventsTopic(), d.source().topic());
        assertEquals(1, d.source().offset());
        assertEquals(USER, d.source().key());
        assertEquals(config.applicationId(), d.stoppedBy());
        assertEquals("{\"n\":\"boom\"}", new String(java.util.Base64.getDecoder().decode(d.rawBase64()),
                StandardCharsets.UTF_8));
        assertEquals(1.0, registry.find(DetectorMetrics.DEAD_LETTERS)
                .tags("reason", "processing-failed", "topic", config.eventsTopic()).counter().count());
    }
}
