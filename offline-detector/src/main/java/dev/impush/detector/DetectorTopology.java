package dev.impush.detector;

import dev.impush.detector.broadcast.BroadcastProcessor;
import dev.impush.detector.broadcast.EveryPartition;
import dev.impush.detector.input.InputProgress;
import dev.impush.detector.logic.Liveness;
import dev.impush.detector.logic.LeaseReceipt;
import dev.impush.detector.processor.DecodeProcessor;
import dev.impush.detector.processor.DetectorProcessor;
import dev.impush.detector.processor.GatewayLeaseProcessor;
import dev.impush.detector.processor.MisplacedWarning;
import dev.impush.detector.processor.PlacementCheck;
import dev.impush.detector.state.DetectorStores;
import dev.impush.detector.state.JsonSerde;
import dev.impush.model.broadcast.BroadcastCommand;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Json;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.event.ImEvent;
import dev.impush.model.feedback.Feedback;
import dev.impush.model.job.PushJob;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The detector's topology, built by one static method so production and
 * {@code TopologyTestDriver} run the same code. Every source, processor, sink and store is named:
 * the names are stable identifiers of internal topics and state.
 *
 * <pre>
 * events-source ─► events-placement ─┬───────────────────────► events-decode ──┬──► detector ──► jobs-sink (push.jobs)
 *                                    └─► events-by-user ─(topic)─┘               │      │ stores: devices, connections,
 * feedback-source ─────────────────────────────────────► feedback-decode ──────┤      │ pending-acks, ack-deadlines, mutes
 *                                                                               └──► dlq-sink (push.dlq)  + global gateway-leases
 * gateways-source ─► gateways-update ──► detector-gateway-leases (global store)
 *
 * broadcasts-source ─► broadcasts-decode ─► broadcast-copies ─(topic: one copy per events partition)─► broadcaster
 *                              └─► broadcasts-dlq-sink     stores: detector-broadcasts, -broadcast-definitions;  │
 *                                                          reads devices, tags, mutes, connections              ▼
 *                                                      bulk-jobs-sink (push.jobs.bulk), broadcast-chat-jobs-sink (push.jobs)
 * </pre>
 *
 * <p>The broadcaster shares the events tasks' stores, so it runs in their tasks: each expands a
 * broadcast over the users of its own partition ({@link BroadcastProcessor}).
 *
 * <p>{@code events-placement} ({@link PlacementCheck}) sends an event that is not on its user's
 * partition (its producer does not partition as Kafka's Java client does) through the internal topic
 * {@code <application id>-events-by-user-repartition}, or with {@link MisplacedEvents#DEAD_LETTER} to
 * the dead-letter topic. That topic is the one part built with the Streams DSL ({@code repartition}):
 * Streams creates it with the input's partition count and purges what was read.
 *
 * <p>The input and output topics must exist before the application starts (deployment creates
 * them); {@code im.events} and {@code push.feedback} must have the same partition count.
 */
public final class DetectorTopology {
    public static final String EVENTS_SOURCE = "events-source";
    public static final String FEEDBACK_SOURCE = "feedback-source";
    public static final String GATEWAYS_SOURCE = "gateways-source";
    public static final String EVENTS_PLACEMENT = "events-placement";
    /** Names the internal topic misplaced events are rerouted through ({@code <app id>-events-by-user-repartition}). */
    public static final String EVENTS_BY_USER = "events-by-user";
    public static final String EVENTS_DECODE = "events-decode";
    public static final String FEEDBACK_DECODE = "feedback-decode";
    public static final String GATEWAYS_UPDATE = "gateways-update";
    public static final String DETECTOR = "detector";
    public static final String JOBS_SINK = "jobs-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String BROADCASTS_SOURCE = "broadcasts-source";
    public static final String BROADCASTS_DECODE = "broadcasts-decode";
    /** Names the internal topic each broadcast command is copied to every partition of ({@code <app id>-broadcast-copies-repartition}). */
    public static final String BROADCAST_COPIES = "broadcast-copies";
    public static final String BROADCASTER = "broadcaster";
    public static final String BULK_JOBS_SINK = "bulk-jobs-sink";
    /** A broadcast's jobs on the chat lane: written as bytes by the broadcaster, unlike the detector's. */
    public static final String BROADCAST_CHAT_JOBS_SINK = "broadcast-chat-jobs-sink";
    /** Dead letters of the broadcasts' subtopology: a sink of its own, as a shared one would merge it with the events'. */
    public static final String BROADCASTS_DLQ_SINK = "broadcasts-dlq-sink";

    private DetectorTopology() {}

    /**
     * Builds the topology; {@code registry} receives the {@link DetectorMetrics} counters; {@code input}
     * tells ack deadlines of idle partitions how far the broker saw the detector read (see
     * {@link dev.impush.detector.input.BrokerProbe}); {@code eventPartitions} is the partition count of
     * the events topic, over which an event's user id is hashed to find where it belongs.
     */
    public static Topology build(DetectorConfig config, MeterRegistry registry, InputProgress input,
                                 int eventPartitions) {
        DetectorMetrics metrics = new DetectorMetrics(registry);
        String appId = config.applicationId();
        boolean reroute = config.misplacedEvents() == MisplacedEvents.REROUTE;
        // with reroute, the first node of the DSL's repartition, known once the DSL has named it
        String[] misplacedChild = {DLQ_SINK};
        MisplacedWarning warning = new MisplacedWarning(config.misplacedEvents());
        StreamsBuilder dsl = new StreamsBuilder();
        KStream<String, Object> placed = dsl.stream(config.eventsTopic(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(EVENTS_SOURCE))
                .process(() -> new PlacementCheck(eventPartitions, config.misplacedEvents(), EVENTS_DECODE,
                        misplacedChild[0], appId, metrics, warning), Named.as(EVENTS_PLACEMENT));
        if (reroute) {
            // only raw events (byte[]) are forwarded to this child
            @SuppressWarnings("unchecked")
            KStream<String, byte[]> misplaced = (KStream<String, byte[]>) (KStream<String, ?>) placed;
            misplaced.repartition(Repartitioned.<String, byte[]>as(EVENTS_BY_USER)
                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
        }
        // broadcasts: decoded where they arrive, then one copy to each events partition, whose task fans
        // it out over the devices it holds (the DSL creates the copies' topic with the events' partition count)
        String[] broadcastsChild = {BROADCASTS_DLQ_SINK};
        @SuppressWarnings("unchecked")
        KStream<String, BroadcastCommand> commands = (KStream<String, BroadcastCommand>) (KStream<String, ?>) dsl
                .stream(config.broadcasts().topic(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName(BROADCASTS_SOURCE))
                .process(() -> new DecodeProcessor<>(ContractCodec.broadcasts(), BroadcastCommand::broadcastId,
                        broadcastsChild[0], BROADCASTS_DLQ_SINK, appId, metrics), Named.as(BROADCASTS_DECODE));
        commands.repartition(Repartitioned.<String, BroadcastCommand>as(BROADCAST_COPIES)
                .withKeySerde(Serdes.String()).withValueSerde(JsonSerde.of(BroadcastCommand.class))
                .withNumberOfPartitions(eventPartitions).withStreamPartitioner(new EveryPartition<>()));
        Topology t = dsl.build();
        TopologyDescription described = t.describe();
        broadcastsChild[0] = successor(described, BROADCASTS_DECODE);
        List<String> eventParents = new ArrayList<>(List.of(EVENTS_PLACEMENT));
        if (reroute) {
            misplacedChild[0] = successor(described, EVENTS_PLACEMENT);
            eventParents.add(sourceOf(described, EVENTS_BY_USER + "-repartition"));
        }

        t.addGlobalStore(DetectorStores.gatewayLeases(), GATEWAYS_SOURCE, new StringDeserializer(),
                new ByteArrayDeserializer(), config.gatewaysTopic(), GATEWAYS_UPDATE,
                () -> new GatewayLeaseProcessor(new LeaseReceipt(config.maxClockSkew()), metrics));

        t.addSource(FEEDBACK_SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), config.feedbackTopic());

        t.addProcessor(EVENTS_DECODE,
                () -> new DecodeProcessor<>(ContractCodec.events(), ImEvent::userId, DETECTOR, DLQ_SINK, appId, metrics),
                eventParents.toArray(String[]::new));
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
        t.addStateStore(DetectorStores.tags(), DETECTOR);
        t.addStateStore(DetectorStores.unread(), DETECTOR);
        t.addStateStore(DetectorStores.preferences(), DETECTOR);
        t.addStateStore(DetectorStores.readClears(), DETECTOR);
        t.addStateStore(DetectorStores.holds(), DETECTOR);
        t.addStateStore(DetectorStores.holdDue(), DETECTOR);

        t.addProcessor(BROADCASTER, () -> new BroadcastProcessor(config.broadcasts(), config.defaultTtl(),
                        new Liveness(config.requireGatewayLease(), config.connectionMaxAge()), eventPartitions, metrics,
                        BROADCAST_CHAT_JOBS_SINK, BULK_JOBS_SINK),
                sourceOf(described, BROADCAST_COPIES + "-repartition"));
        t.addStateStore(DetectorStores.broadcasts(), BROADCASTER);
        t.addStateStore(DetectorStores.broadcastDefinitions(), BROADCASTER);
        t.connectProcessorAndStateStores(BROADCASTER, DetectorStores.DEVICES, DetectorStores.TAGS,
                DetectorStores.MUTES, DetectorStores.CONNECTIONS);

        t.addSink(JOBS_SINK, config.jobsTopic(), new StringSerializer(), json(PushJob.class), DETECTOR);
        t.addSink(BROADCAST_CHAT_JOBS_SINK, config.jobsTopic(), new StringSerializer(), new ByteArraySerializer(),
                BROADCASTER);
        t.addSink(BULK_JOBS_SINK, config.broadcasts().bulkJobsTopic(), new StringSerializer(), new ByteArraySerializer(),
                BROADCASTER);
        t.addSink(BROADCASTS_DLQ_SINK, config.dlqTopic(), new StringSerializer(), json(DeadLetter.class),
                BROADCASTS_DECODE);
        List<String> deadLetterParents = new ArrayList<>(List.of(EVENTS_DECODE, FEEDBACK_DECODE));
        if (!reroute) {
            deadLetterParents.add(EVENTS_PLACEMENT);
        }
        t.addSink(DLQ_SINK, config.dlqTopic(), new StringSerializer(), json(DeadLetter.class),
                deadLetterParents.toArray(String[]::new));
        return t;
    }

    /** The one node after {@code name}: the DSL names the nodes of {@code repartition} itself. */
    private static String successor(TopologyDescription topology, String name) {
        return nodes(topology).filter(n -> n.name().equals(name))
                .flatMap(n -> n.successors().stream()).map(TopologyDescription.Node::name)
                .reduce((a, b) -> { throw new IllegalStateException(name + " has more than one successor"); })
                .orElseThrow();
    }

    /** The source node reading {@code topic}. */
    private static String sourceOf(TopologyDescription topology, String topic) {
        return nodes(topology).filter(n -> n instanceof TopologyDescription.Source s && s.topicSet().contains(topic))
                .map(TopologyDescription.Node::name).findFirst().orElseThrow();
    }

    private static Stream<TopologyDescription.Node> nodes(TopologyDescription topology) {
        return topology.subtopologies().stream().flatMap(s -> s.nodes().stream());
    }

    private static <T> Serializer<T> json(Class<T> type) {
        return (topic, value) -> value == null ? null : Json.write(value);
    }
}
