package dev.impush.detector;

import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.job.PushJob;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The production topology on a {@link TopologyTestDriver} whose wall clock starts at {@code start}:
 * events in (the contract's JSON, keyed by user), jobs out (decoded and validated as the worker
 * would), dead letters counted, metrics read.
 */
final class DetectorDriver implements AutoCloseable {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ContractCodec<PushJob> jobCodec = ContractCodec.jobs(Integer.MAX_VALUE);
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, byte[]> events;
    private final TestOutputTopic<String, byte[]> jobs;
    private final TestOutputTopic<String, byte[]> dlq;

    DetectorDriver(DetectorConfig config, Instant start) {
        driver = TestDrivers.of(DetectorTopology.build(config, registry, new ScriptedInput(), 1), config, registry, start);
        events = driver.createInputTopic(config.eventsTopic(), new StringSerializer(), new ByteArraySerializer());
        jobs = driver.createOutputTopic(config.jobsTopic(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(config.dlqTopic(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    void send(String userId, String json) {
        events.pipeInput(userId, json.getBytes(StandardCharsets.UTF_8));
    }

    /** An APNs (or other channel's) device of {@code userId} without a connection, registered a minute before {@code at}. */
    void register(String userId, String deviceId, String channel, String appId, boolean preview, boolean voip, Instant at) {
        send(userId, """
                {"v":1,"type":"device","action":"register","userId":"%s","deviceId":"%s","channel":"%s",\
                "token":"%s","appId":"%s","sandbox":false,"previewEnabled":%s,"registeredAt":"%s","voip":%s}"""
                .formatted(userId, deviceId, channel, "%064x".formatted(deviceId.hashCode() & 0xffffffffL), appId, preview,
                        at.minusSeconds(60), voip));
    }

    /** The device's long connection is up (no gateway lease needed by default). */
    void online(String userId, String deviceId, Instant at) {
        send(userId, """
                {"v":1,"type":"presence","userId":"%s","deviceId":"%s","state":"online","gatewayId":"gw-1","at":"%s"}"""
                .formatted(userId, deviceId, at));
    }

    /** The jobs published since the last call, each valid by the worker's contract. */
    List<PushJob> jobs() {
        return jobs.readRecordsToList().stream().map(r -> {
            if (jobCodec.decode(r.value()) instanceof Decoded.Ok<PushJob> ok) {
                return ok.value();
            }
            throw new AssertionError("invalid job: " + jobCodec.decode(r.value()));
        }).toList();
    }

    boolean noJobs() {
        return jobs.isEmpty();
    }

    int deadLetters() {
        return dlq.readRecordsToList().size();
    }

    void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    double count(String name, String tag, String value) {
        var counter = registry.find(name).tag(tag, value).counter();
        return counter == null ? 0 : counter.count();
    }

    boolean isEmpty(String store) {
        try (var it = driver.getKeyValueStore(store).all()) {
            return !it.hasNext();
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}
