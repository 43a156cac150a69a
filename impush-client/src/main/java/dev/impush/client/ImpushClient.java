package dev.impush.client;

import dev.impush.model.Topics;
import dev.impush.model.broadcast.BroadcastCommand;
import dev.impush.model.event.GatewayLease;
import dev.impush.model.event.ImEvent;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The IM platform's side of impush: sends {@link ImEvent}s (built with {@link ImEvents}), broadcast
 * commands and gateway heartbeats to the topics impush reads, each keyed as impush needs (events by
 * user id, so one user's events stay in order on one partition; heartbeats by gateway id; broadcasts
 * by broadcast id). Every record is checked against impush's JSON Schema and contract first: an event
 * the detector would dead-letter fails here, with {@link InvalidEventException}, and is not sent.
 *
 * <p>When an OpenTelemetry span is current on the sending thread, its W3C trace context goes on the
 * record ({@code traceparent}); impush carries it to the vendor request of every push the event causes.
 *
 * <p>The producer is idempotent ({@code acks=all}, {@code enable.idempotence}): a retried send is
 * written once, in order. Keys go through Kafka's default partitioner, as the detector expects.
 * Thread-safe; one instance per application, closed at shutdown.
 *
 * <pre>{@code
 * try (ImpushClient impush = ImpushClient.builder("kafka-0:9092,kafka-1:9092").build()) {
 *     impush.send(ImEvents.message("m-9001", "u42").conversation("c-17").sender("u7", "Alice")
 *             .preview("lunch?").build());
 * }
 * }</pre>
 */
public final class ImpushClient implements AutoCloseable {
    private static final EventValidator EVENTS = EventValidator.of("im-event.schema.json");
    private static final EventValidator LEASES = EventValidator.of("gateway-lease.schema.json");
    private static final EventValidator BROADCASTS = EventValidator.of("broadcast.schema.json");

    private final Producer<byte[], byte[]> producer;
    private final String eventsTopic;
    private final String gatewaysTopic;
    private final String broadcastsTopic;
    private final Clock clock;

    private ImpushClient(Builder b) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.putAll(b.properties);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        this.eventsTopic = b.eventsTopic;
        this.gatewaysTopic = b.gatewaysTopic;
        this.broadcastsTopic = b.broadcastsTopic;
        this.clock = b.clock;
    }

    /** A client of the cluster at {@code bootstrapServers} (host:port,...). */
    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Sends an IM event to {@code im.events}, keyed by its user id; completes when the broker has it. */
    public CompletableFuture<RecordMetadata> send(ImEvent event) {
        Objects.requireNonNull(event, "event");
        return send(eventsTopic, event.userId(), EVENTS.check(event, event.getClass().getSimpleName()), null);
    }

    /**
     * As {@link #send(ImEvent)}, the record stamped {@code timestamp} instead of now: for a gateway that
     * forwards events it stamped itself. The detector reads ack deadlines in these timestamps
     * (README, Ack tracking), so never stamp an event later than when it happened.
     */
    public CompletableFuture<RecordMetadata> send(ImEvent event, Instant timestamp) {
        Objects.requireNonNull(event, "event");
        return send(eventsTopic, event.userId(), EVENTS.check(event, event.getClass().getSimpleName()),
                timestamp.toEpochMilli());
    }

    /** Sends a broadcast or its cancellation to {@code im.broadcasts}, keyed by the broadcast id. */
    public CompletableFuture<RecordMetadata> send(BroadcastCommand command) {
        Objects.requireNonNull(command, "command");
        return send(broadcastsTopic, command.broadcastId(), BROADCASTS.check(command, command.getClass().getSimpleName()),
                null);
    }

    /** Sends one gateway heartbeat to {@code im.gateways}, keyed by the gateway id. */
    public CompletableFuture<RecordMetadata> send(GatewayLease lease) {
        Objects.requireNonNull(lease, "lease");
        return send(gatewaysTopic, lease.gatewayId(), LEASES.check(lease, "GatewayLease"), null);
    }

    /**
     * Heartbeats {@code gatewayId} every third of {@code lease} until the returned heartbeat is closed,
     * under a fresh incarnation: connections reported by an earlier run of this gateway count as gone.
     * Report each connection with {@link ImEvents#online} and the heartbeat's {@link GatewayHeartbeat#incarnation()}.
     */
    public GatewayHeartbeat heartbeat(String gatewayId, Duration lease) {
        return GatewayHeartbeat.start(this, gatewayId, lease, clock);
    }

    /** Blocks until every record sent so far is on the broker (or failed). */
    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }

    private CompletableFuture<RecordMetadata> send(String topic, String key, byte[] json, Long timestamp) {
        CompletableFuture<RecordMetadata> done = new CompletableFuture<>();
        ProducerRecord<byte[], byte[]> record =
                new ProducerRecord<>(topic, null, timestamp, key.getBytes(StandardCharsets.UTF_8), json);
        // the caller's trace (an OpenTelemetry span current on this thread) goes with the event, through the
        // detector's job and the worker to the vendor request: nothing without one
        W3CTraceContextPropagator.getInstance().inject(Context.current(), record.headers(),
                (headers, name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(metadata);
            }
        });
        return done;
    }

    /** Settings of a client; every one has a default but the bootstrap servers. */
    public static final class Builder {
        private final String bootstrapServers;
        private final Map<String, Object> properties = new HashMap<>();
        private String eventsTopic = Topics.EVENTS;
        private String gatewaysTopic = Topics.GATEWAYS;
        private String broadcastsTopic = Topics.BROADCASTS;
        private Clock clock = Clock.systemUTC();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        }

        /** Any Kafka producer setting (security, client id, linger...); the serializers are the client's own. */
        public Builder property(String name, Object value) {
            properties.put(name, value);
            return this;
        }

        /** Kafka producer settings, as {@link #property}. */
        public Builder properties(Map<String, ?> values) {
            properties.putAll(values);
            return this;
        }

        /** The detector's {@code IMPUSH_TOPIC_EVENTS}, when not {@code im.events}. */
        public Builder eventsTopic(String topic) {
            this.eventsTopic = Objects.requireNonNull(topic);
            return this;
        }

        /** The detector's {@code IMPUSH_TOPIC_GATEWAYS}, when not {@code im.gateways}. */
        public Builder gatewaysTopic(String topic) {
            this.gatewaysTopic = Objects.requireNonNull(topic);
            return this;
        }

        /** The detector's {@code IMPUSH_TOPIC_BROADCASTS}, when not {@code im.broadcasts}. */
        public Builder broadcastsTopic(String topic) {
            this.broadcastsTopic = Objects.requireNonNull(topic);
            return this;
        }

        /** The clock heartbeats are stamped with (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public ImpushClient build() {
            return new ImpushClient(this);
        }
    }
}
