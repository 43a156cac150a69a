package dev.impush.detector;

import dev.impush.detector.input.InputProgress;
import dev.impush.detector.logic.LeaseReceipt;
import dev.impush.detector.processor.DecodeProcessor;
import dev.impush.detector.processor.DetectorProcessor;
import dev.impush.detector.processor.GatewayLeaseProcessor;
import dev.impush.detector.state.DetectorStores;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Json;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.event.ImEvent;
import dev.impush.model.feedback.Feedback;
import dev.impush.model.job.PushJob;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;

/**
 * The detector's topology, built by one static method so production and
 * {@code TopologyTestDriver} run the same code. Every source, processor, sink and store is named:
 * the names are stable identifiers of internal topics and state.
 *
 * <pre>
 * events-source ──► events-decode ──┬──► detector ──► jobs-sink (push.jobs)
 * feedback-source ─► feedback-decode ┤      │ stores: devices, connections, pending-acks,
 *                                    │      │         ack-deadlines, mutes
 *                                    └──► dlq-sink (push.dlq)      + global gateway-leases
 * gateways-source ─► gateways-update ──► detector-gateway-leases (global store)
 * </pre>
 *
 * <p>The input and output topics must exist before the application starts (deployment creates
 * them); {@code im.events} and {@code push.feedback} must be co-partitioned (same partition count,
 * keyed by user id).
 */
public final class DetectorTopology {
    public static final String EVENTS_SOURCE = "events-source";
    public static final String FEEDBACK_SOURCE = "feedback-source";
    public static final String GATEWAYS_SOURCE = "gateways-source";
    public static final String EVENTS_DECODE = "events-decode";
    public static final String FEEDBACK_DECODE = "feedback-decode";
    public static final String GATEWAYS_UPDATE = "gateways-update";
    public static final String DETECTOR = "detector";
    public static final String JOBS_SINK = "jobs-sink";
    public static final String DLQ_SINK = "dlq-sink";

    private DetectorTopology() {}

    /**
     * Builds the topology; {@code registry} receives the {@link DetectorMetrics} counters; {@code input}
     * tells ack deadlines of idle partitions how far the broker saw the detector read (see
     * {@link dev.impush.detector.input.BrokerProbe}).
     */
    public static Topology build(DetectorConfig config, MeterRegistry registry, InputProgress input) {
        DetectorMetrics metrics = new DetectorMetrics(registry);
        String appId = config.applicationId();
        Topology t = new Topology();

        t.addGlobalStore(DetectorStores.gatewayLeases(), GATEWAYS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), config.gatewaysTopic(), GATEWAYS_UPDATE,
                () -> new GatewayLeaseProcessor(new LeaseReceipt(config.maxClockSkew()), metrics));

        t.addSource(EVENTS_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), config.eventsTopic());
        t.addSource(FEEDBACK_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), config.feedbackTopic());

        t.addProcessor(EVENTS_DECODE,
                () -> new DecodeProcessor<>(ContractCodec.events(), ImEvent::userId, DETECTOR, DLQ_SINK, appId, metrics),
                EVENTS_SOURCE);
        t.addProcessor(FEEDBACK_DECODE,
                () -> new DecodeProcessor<>(ContractCodec.feedback(), Feedback::userId, DETECTOR, DLQ_SINK, appId,
                        metrics),
                FEEDBACK_SOURCE);
        t.addProcessor(DETECTOR, () -> new DetectorProcessor(config, metrics, input, JOBS_SINK), EVENTS_DECODE,
                FEEDBACK_DECODE);

        t.addStateStore(DetectorStores.devices(), DETECTOR);
        t.addStateStore(DetectorStores.connections(), DETECTOR);
        t.addStateStore(DetectorStores.pendingAcks(), DETECTOR);
        t.addStateStore(DetectorStores.ackDeadlines(), DETECTOR);
        t.addStateStore(DetectorStores.mutes(), DETECTOR);

        t.addSink(JOBS_SINK, config.jobsTopic(), new StringSerializer(), json(PushJob.class), DETECTOR);
        t.addSink(DLQ_SINK, config.dlqTopic(), new StringSerializer(), json(DeadLetter.class), EVENTS_DECODE,
                FEEDBACK_DECODE);
        return t;
    }

    private static <T> Serializer<T> json(Class<T> type) {
        return (topic, value) -> value == null ? null : Json.write(value);
    }
}
