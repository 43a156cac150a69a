package dev.impush.detector;

import dev.impush.detector.errors.DeadLetterExceptionHandler;
import dev.impush.detector.input.BrokerProbe;
import dev.impush.detector.input.InputProgress;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.kafka.TopicCheck;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running offline detector: the {@link DetectorTopology} in a {@link KafkaStreams} instance with
 * {@code exactly_once_v2}, so one input event makes its jobs once, even across crashes.
 *
 * <p>Lifecycle: {@link #start} starts the stream threads and returns at once; {@link #awaitRunning}
 * waits for the first assignment; {@link #isRunning()} is the readiness signal; {@link #close()}
 * stops (committing what is processed) and waits up to the close timeout. The input and output
 * topics are not created here: they must exist (deployment or test fixtures create them), else the
 * application stops with an error and {@link #isRunning()} stays false. Thread-safe.
 */
public final class OfflineDetector implements AutoCloseable {
    /** How long {@link #close()} waits for the stream threads to commit and stop. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(OfflineDetector.class);

    private final KafkaStreams streams;
    private final AutoCloseable probe;
    private final KafkaStreamsMetrics streamsMetrics;
    private final CountDownLatch running = new CountDownLatch(1);

    private OfflineDetector(KafkaStreams streams, AutoCloseable probe, MeterRegistry registry) {
        this.streams = streams;
        this.probe = probe;
        streams.setStateListener((next, previous) -> {
            log.info("detector state {} -> {}", previous, next);
            if (next == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        // a processing bug would fail again on the same record in a replacement thread: stop, turn
        // not-ready, and let the orchestrator restart (and alert) rather than spin
        streams.setUncaughtExceptionHandler(e -> {
            log.error("detector stream thread failed; shutting down the client", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        this.streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
    }

    /**
     * Builds and starts the application, and (unless ack tracking is off) the {@link BrokerProbe} that
     * lets ack deadlines of idle partitions fire; does not wait for it to be assigned (see {@link #awaitRunning}).
     */
    public static OfflineDetector start(DetectorConfig config, MeterRegistry registry) {
        CheckedTopics topics = checkTopics(config);
        config = topics.config();
        log.info("detector {} on Kafka {}", config.applicationId(), config.kafka());
        InputProgress input = InputProgress.NONE;
        AutoCloseable probe = () -> { };
        if (config.ackTracking() != AckTracking.OFF) {
            BrokerProbe broker = BrokerProbe.start(config.kafka(), config.applicationId() + "-input-probe",
                    config.eventsTopic(), config.applicationId(), config.punctuateInterval(), config.ackGrace(),
                    Clock.systemUTC());
            input = broker;
            probe = broker;
        }
        try {
            KafkaStreams streams = new KafkaStreams(DetectorTopology.build(config, registry, input,
                    topics.eventPartitions()),
                    properties(config, registry));
            OfflineDetector detector = new OfflineDetector(streams, probe, registry);
            streams.start();
            return detector;
        } catch (RuntimeException e) {
            try {
                probe.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * What {@link #checkTopics} found: {@code config} with the replication the cluster allows, and the
     * events topic's partition count.
     */
    public record CheckedTopics(DetectorConfig config, int eventPartitions) {}

    /**
     * Checks that the topics exist and that events and feedback are co-partitioned (the detector
     * joins them by user id: with different counts a user's feedback would reach another task, and
     * invalid tokens would never be removed); caps the internal topics' replication at the brokers
     * there are.
     *
     * @throws ConfigException saying what is wrong and what fixes it
     */
    public static CheckedTopics checkTopics(DetectorConfig config) {
        TopicCheck.Cluster cluster = TopicCheck.requireTopics(config.kafka(), List.of(config.eventsTopic(),
                config.gatewaysTopic(), config.feedbackTopic(), config.jobsTopic(), config.dlqTopic(),
                config.broadcasts().topic(), config.broadcasts().bulkJobsTopic()),
                TOPIC_CHECK_TIMEOUT, "deploy/create-topics.sh creates them");
        int events = cluster.partitions().get(config.eventsTopic());
        int feedback = cluster.partitions().get(config.feedbackTopic());
        if (events != feedback) {
            throw new ConfigException(config.eventsTopic() + " has " + events + " partitions and " + config.feedbackTopic()
                    + " " + feedback + ": they must have the same count (the detector joins them by user id);"
                    + " recreate " + config.feedbackTopic() + " with " + events + " partitions (deploy/create-topics.sh checks this)");
        }
        if (cluster.brokers() < config.replicationFactor()) {
            log.warn("{}={} but the cluster has {} broker(s): the detector's changelog and repartition topics get"
                    + " replication {}", DetectorConfig.REPLICATION_FACTOR, config.replicationFactor(), cluster.brokers(),
                    cluster.brokers());
            config = config.toBuilder().replicationFactor(Math.max(1, cluster.brokers())).build();
        }
        return new CheckedTopics(config, events);
    }

    /** The Kafka Streams configuration for {@code config}; {@code registry} counts what the error handler dead-letters. */
    static Properties properties(DetectorConfig config, MeterRegistry registry) {
        Map<String, Object> defaults = new HashMap<>();
        // the 5.0 default, adopted now (Streams warns at start-up otherwise); the constant is already
        // deprecated in 4.3, hence the literal
        defaults.put("processing.exception.handler.global.enabled", true);
        defaults.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
        // a changelog write acknowledged by one replica only is lost with that disk
        defaults.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG),
                config.replicationFactor() >= 3 ? 2 : 1);
        Map<String, Object> fixed = new HashMap<>();
        fixed.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        fixed.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // with exactly-once, output becomes visible at commit: this interval is the added latency
        fixed.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        fixed.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        fixed.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        fixed.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        // every store and processor is named; make Streams refuse a generated name should one creep in
        fixed.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // a record that still makes processing (or writing its output) fail goes to the dead-letter
        // topic; the partition moves on instead of the whole client crash-looping on it
        fixed.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        fixed.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        fixed.put(DeadLetterExceptionHandler.DLQ_TOPIC, config.dlqTopic());
        fixed.put(DeadLetterExceptionHandler.STOPPED_BY, config.applicationId());
        fixed.put(DeadLetterExceptionHandler.REGISTRY, registry);
        Properties p = new Properties();
        p.putAll(config.kafka().streams(defaults, fixed));
        return p;
    }

    /** Waits until the application is RUNNING; false if it is not within {@code timeout}. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && isRunning();
    }

    /** Ready: running or rebalancing (a rebalance is routine, not an outage). */
    public boolean isRunning() {
        return streams.state().isRunningOrRebalancing();
    }

    /** The Kafka Streams state, for logs and debugging. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Stops processing, commits, and waits up to {@link #CLOSE_TIMEOUT}; then stops the input probe. Idempotent. */
    @Override
    public void close() {
        boolean stopped = streams.close(CLOSE_TIMEOUT);
        streamsMetrics.close();
        try {
            probe.close();
        } catch (Exception e) {
            log.warn("input probe did not close cleanly", e);
        }
        if (!stopped) {
            log.warn("detector did not stop within {}", CLOSE_TIMEOUT);
        }
    }
}
