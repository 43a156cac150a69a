package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.broadcast.BroadcastSettings;
import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class DetectorConfigTest {

    @Test
    void fromEnv_empty_usesDefaults() {
        DetectorConfig c = DetectorConfig.fromEnv(Env.of(Map.of()));
        assertEquals("localhost:9092", c.kafka().bootstrapServers());
        assertEquals("im.events", c.eventsTopic());
        assertEquals("im.gateways", c.gatewaysTopic());
        assertEquals("push.jobs", c.jobsTopic());
        assertEquals("push.feedback", c.feedbackTopic());
        assertEquals("push.dlq", c.dlqTopic());
        assertEquals("impush-offline-detector", c.applicationId());
        assertEquals(1, c.streamThreads());
        assertEquals(AckTracking.ROUTED, c.ackTracking());
        assertEquals(Duration.ofSeconds(10), c.ackTimeout());
        assertEquals(Duration.ofSeconds(2), c.ackGrace());
        assertEquals(Duration.ofSeconds(1), c.punctuateInterval());
        assertEquals(Duration.ofDays(1), c.defaultTtl());
        assertFalse(c.requireGatewayLease());
        assertEquals(Duration.ofDays(7), c.connectionMaxAge());
        assertEquals(Duration.ofMinutes(5), c.maxClockSkew());
        assertEquals(Duration.ofMillis(50), c.commitInterval());
        assertEquals(8081, c.opsPort());
        assertEquals(new BroadcastSettings("im.broadcasts", "push.jobs.bulk", 10_000, Duration.ofMillis(10), 5_000,
                Duration.ofDays(7)), c.broadcasts());
        assertEquals(DetectorConfig.builder().build(), c);
    }

    @Test
    void fromEnv_overrides() {
        DetectorConfig c = DetectorConfig.fromEnv(Env.of(Map.ofEntries(
                Map.entry("IMPUSH_KAFKA_BOOTSTRAP", "k1:9092,k2:9092"),
                Map.entry("IMPUSH_TOPIC_EVENTS", "ev"),
                Map.entry("IMPUSH_TOPIC_JOBS", "jb"),
                Map.entry("IMPUSH_DETECTOR_APP_ID", "det"),
                Map.entry("IMPUSH_DETECTOR_STATE_DIR", "/var/lib/det"),
                Map.entry("IMPUSH_DETECTOR_THREADS", "4"),
                Map.entry("IMPUSH_DETECTOR_ACK_TRACKING", "Message"),
                Map.entry("IMPUSH_DETECTOR_ACK_TIMEOUT_MS", "2500"),
                Map.entry("IMPUSH_DETECTOR_ACK_GRACE_MS", "500"),
                Map.entry("IMPUSH_DETECTOR_PUNCTUATE_MS", "250"),
                Map.entry("IMPUSH_DETECTOR_DEFAULT_TTL_S", "60"),
                Map.entry("IMPUSH_DETECTOR_REQUIRE_GATEWAY_LEASE", "true"),
                Map.entry("IMPUSH_DETECTOR_CONNECTION_MAX_AGE_S", "3600"),
                Map.entry("IMPUSH_DETECTOR_MAX_CLOCK_SKEW_S", "0"),
                Map.entry("IMPUSH_DETECTOR_COMMIT_INTERVAL_MS", "0"),
                Map.entry("IMPUSH_OPS_PORT", "0"),
                Map.entry("IMPUSH_TOPIC_BROADCASTS", "bc"),
                Map.entry("IMPUSH_TOPIC_JOBS_BULK", "bulk"),
                Map.entry("IMPUSH_DETECTOR_BROADCAST_RATE", "500"),
                Map.entry("IMPUSH_DETECTOR_BROADCAST_STEP_MS", "50"),
                Map.entry("IMPUSH_DETECTOR_BROADCAST_MAX_DEVICES_PER_STEP", "700"),
                Map.entry("IMPUSH_DETECTOR_BROADCAST_RETENTION_H", "2"),
                Map.entry("IMPUSH_DETECTOR_COALESCE_WINDOW_MS", "5000"),
                Map.entry("IMPUSH_DETECTOR_COALESCE_BYPASS", " Mention "),
                Map.entry("IMPUSH_DETECTOR_CONTENT_FREE_APPS", "com.a, com.b,"))));
        assertEquals("k1:9092,k2:9092", c.kafka().bootstrapServers());
        assertEquals("ev", c.eventsTopic());
        assertEquals("jb", c.jobsTopic());
        assertEquals("det", c.applicationId());
        assertEquals(Path.of("/var/lib/det"), c.stateDir());
        assertEquals(4, c.streamThreads());
        assertEquals(AckTracking.MESSAGE, c.ackTracking());
        assertEquals(Duration.ofMillis(2500), c.ackTimeout());
        assertEquals(Duration.ofMillis(500), c.ackGrace());
        assertEquals(Duration.ofMillis(250), c.punctuateInterval());
        assertEquals(Duration.ofSeconds(60), c.defaultTtl());
        assertTrue(c.requireGatewayLease());
        assertEquals(Duration.ofHours(1), c.connectionMaxAge());
        assertEquals(Duration.ZERO, c.maxClockSkew());
        assertEquals(Duration.ZERO, c.commitInterval());
        assertEquals(0, c.opsPort());
        assertEquals(new BroadcastSettings("bc", "bulk", 500, Duration.ofMillis(50), 700, Duration.ofHours(2)),
                c.broadcasts());
        assertEquals(new CoalesceSettings(Duration.ofSeconds(5), true, false), c.coalescing());
        assertEquals(Set.of("com.a", "com.b"), c.contentFreeApps());
        assertEquals(Set.of(), DetectorConfig.builder().build().contentFreeApps());
        assertEquals(new CoalesceSettings(Duration.ofSeconds(3), true, true), DetectorConfig.builder().build().coalescing(),
                "groups coalesce over 3 s by default; mentions and direct messages push at once");
        assertEquals(new CoalesceSettings(Duration.ZERO, false, false), DetectorConfig.fromEnv(Env.of(Map.of(
                "IMPUSH_DETECTOR_COALESCE_WINDOW_MS", "0", "IMPUSH_DETECTOR_COALESCE_BYPASS", "none"))).coalescing());
    }

    @Test
    void fromEnv_invalidValue_namesTheVariable() {
        ConfigException e = assertThrows(ConfigException.class, () ->
                DetectorConfig.fromEnv(Env.of(Map.of("IMPUSH_DETECTOR_ACK_TIMEOUT_MS", "0"))));
        assertTrue(e.getMessage().contains("IMPUSH_DETECTOR_ACK_TIMEOUT_MS"), e.getMessage());
        e = assertThrows(ConfigException.class, () ->
                DetectorConfig.fromEnv(Env.of(Map.of("IMPUSH_DETECTOR_THREADS", "zero"))));
        assertTrue(e.getMessage().contains("IMPUSH_DETECTOR_THREADS"), e.getMessage());
        for (var bad : Map.of("IMPUSH_DETECTOR_CONNECTION_MAX_AGE_S", "0", "IMPUSH_DETECTOR_MAX_CLOCK_SKEW_S", "-1",
                "IMPUSH_DETECTOR_ACK_TRACKING", "acks", "IMPUSH_DETECTOR_COALESCE_BYPASS", "mentions",
                "IMPUSH_DETECTOR_COALESCE_WINDOW_MS", "600001", "IMPUSH_DETECTOR_ACK_GRACE_MS", "60001",
                "IMPUSH_DETECTOR_BROADCAST_STEP_MS", "5", "IMPUSH_DETECTOR_BROADCAST_RATE", "0").entrySet()) {
            e = assertThrows(ConfigException.class, () -> DetectorConfig.fromEnv(Env.of(Map.ofEntries(bad))));
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
        e = assertThrows(ConfigException.class, () -> DetectorConfig.builder().connectionMaxAge(Duration.ZERO).build());
        assertTrue(e.getMessage().contains("IMPUSH_DETECTOR_CONNECTION_MAX_AGE_S"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> DetectorConfig.builder().maxClockSkew(Duration.ofSeconds(-1)).build());
        assertTrue(e.getMessage().contains("IMPUSH_DETECTOR_MAX_CLOCK_SKEW_S"), e.getMessage());
    }

    @Test
    void toBuilder_keepsEverythingElse() {
        DetectorConfig c = DetectorConfig.builder().applicationId("x").build();
        assertEquals(c, c.toBuilder().build());
        assertEquals("y", c.toBuilder().applicationId("y").build().applicationId());
    }

    @Test
    void streamsProperties_exactlyOnceAndNaming() {
        DetectorConfig c = DetectorConfig.builder().commitInterval(Duration.ofMillis(250)).streamThreads(2).build();
        Properties p = OfflineDetector.properties(c, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, p.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(250L, p.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
        assertEquals(2, p.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        assertEquals(true, p.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG));
        assertEquals("lz4", p.get("producer.compression.type"));
        new StreamsConfig(p); // Kafka accepts it
    }
}
