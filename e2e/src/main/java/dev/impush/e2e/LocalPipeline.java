package dev.impush.e2e;

import dev.impush.detector.DetectorConfig;
import dev.impush.detector.OfflineDetector;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.FixtureMode;
import dev.impush.localstack.LocalStack;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.fcm.MockFcmServer;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.runtime.Env;
import dev.impush.runtime.kafka.KafkaConnection;
import dev.impush.worker.PushWorker;
import dev.impush.worker.WorkerConfig;
import dev.impush.worker.channel.Channels;
import dev.impush.worker.retry.Lanes;
import dev.impush.worker.retry.RetryTiers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole impush pipeline on one machine: a real Kafka broker and redis-server (see
 * {@link FixtureMode}), mock APNs and FCM that check the real protocols, the offline detector, and
 * push workers, in this JVM or as separate processes. Used by the quickstart and end-to-end tests.
 */
public final class LocalPipeline implements AutoCloseable {
    /** The knobs tests turn. */
    public record Options(FixtureMode mode, int partitions, boolean startDetector, Duration dedupeLease,
                          String retryTiers, Map<String, String> workerEnv, Clusters clusters,
                          UnaryOperator<DetectorConfig.Builder> detector) {
        /** The detector as it is here by default. */
        public Options(FixtureMode mode, int partitions, boolean startDetector, Duration dedupeLease, String retryTiers,
                       Map<String, String> workerEnv, Clusters clusters) {
            this(mode, partitions, startDetector, dedupeLease, retryTiers, workerEnv, clusters, UnaryOperator.identity());
        }

        /** Fixtures as {@link FixtureMode#resolve()} says. */
        public static Options defaults() {
            return of(FixtureMode.resolve());
        }

        public static Options of(FixtureMode mode) {
            return new Options(mode, 4, true, Duration.ofSeconds(5), "1s,2s,4s", Map.of(), Clusters.PLAIN);
        }

        public Options withoutDetector() {
            return new Options(mode, partitions, false, dedupeLease, retryTiers, workerEnv, clusters, detector);
        }

        /** Retry tier delays, e.g. {@code "1s,2s,4s"} (their topics are created). */
        public Options withRetryTiers(String spec) {
            return new Options(mode, partitions, startDetector, dedupeLease, spec, workerEnv, clusters, detector);
        }

        public Options withWorkerEnv(Map<String, String> env) {
            return new Options(mode, partitions, startDetector, dedupeLease, retryTiers, env, clusters, detector);
        }

        /**
         * Secured clusters ({@link LocalStack#startSecured()}): Kafka only over SASL_SSL, Redis only
         * over TLS with an ACL user; every service and client logs in.
         */
        public Options withSecuredClusters() {
            return new Options(mode, partitions, startDetector, dedupeLease, retryTiers, workerEnv, Clusters.SECURED,
                    detector);
        }

        /** Redis as a cluster of three masters with a replica each ({@link LocalStack#startWithRedisCluster}). */
        public Options withRedisCluster() {
            return new Options(mode, partitions, startDetector, dedupeLease, retryTiers, workerEnv,
                    Clusters.REDIS_CLUSTER, detector);
        }

        /** The detector's configuration changed (e.g. content-free apps). */
        public Options withDetector(UnaryOperator<DetectorConfig.Builder> change) {
            return new Options(mode, partitions, startDetector, dedupeLease, retryTiers, workerEnv, clusters, change);
        }

        /** Kafka as a replicated cluster of three nodes ({@link LocalStack#startWithKafkaCluster}). */
        public Options withKafkaCluster() {
            return new Options(mode, partitions, startDetector, dedupeLease, retryTiers, workerEnv,
                    Clusters.KAFKA_CLUSTER, detector);
        }
    }

    /** Which Kafka and Redis a pipeline runs on. */
    public enum Clusters { PLAIN, SECURED, REDIS_CLUSTER, KAFKA_CLUSTER }

    /** The detector's ack timeout here: short, so tests of zombie connections are quick. */
    public static final Duration ACK_TIMEOUT = Duration.ofSeconds(5);

    private final Options options;
    private final LocalStack stack;
    private final MockVendors vendors;
    private final Path stateDir;
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final OfflineDetector detector;
    private final List<PushWorker> workers = new ArrayList<>();
    private final List<WorkerProcess> processes = new ArrayList<>();
    private final List<DetectorProcess> detectorProcesses = new ArrayList<>();

    private LocalPipeline(Options options) throws Exception {
        this.options = options;
        this.stack = (switch (options.clusters()) {
            case PLAIN -> LocalStack.start(options.mode());
            case SECURED -> LocalStack.startSecured();
            case REDIS_CLUSTER -> LocalStack.startWithRedisCluster(options.mode());
            case KAFKA_CLUSTER -> LocalStack.startWithKafkaCluster(options.mode());
        })
                .withDefaultTopics(options.partitions(), Lanes.of(Topics.JOBS, Topics.JOBS_BULK,
                        RetryTiers.parse(Topics.RETRY_PREFIX, options.retryTiers(), "retryTiers")).topics(List.of()));
        this.vendors = MockVendors.start(Clock.systemUTC());
        this.stateDir = Files.createTempDirectory("impush-detector");
        if (options.startDetector()) {
            this.detector = OfflineDetector.start(options.detector().apply(DetectorConfig.builder()
                    .kafka(KafkaConnection.fromEnv(Env.of(stack.kafka().serviceEnv())))
                    .applicationId("impush-offline-detector")
                    .stateDir(stateDir)
                    .ackTimeout(ACK_TIMEOUT)).build(), meters);
            if (!detector.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("detector did not reach RUNNING: " + detector.state());
            }
        } else {
            this.detector = null;
        }
    }

    public static LocalPipeline start(Options options) throws Exception {
        return new LocalPipeline(options);
    }

    /**
     * Registers the population's tokens at the mock vendors; invalid ones expire there 30 s after
     * {@code registeredAt}, so the vendor's invalidation is newer than the registration (and the
     * detector may remove the device).
     */
    public void registerAtVendors(Population population, Instant registeredAt) {
        population.devices().forEach(d -> vendors.register(d, registeredAt.plusSeconds(30)));
    }

    /** The environment a worker needs to reach this pipeline's broker, Redis and mock vendors. */
    public Map<String, String> workerEnv(String instanceId) {
        Map<String, String> env = new HashMap<>();
        env.putAll(stack.kafka().serviceEnv());
        env.putAll(stack.redis().serviceEnv());
        env.put("IMPUSH_WORKER_INSTANCE_ID", instanceId);
        env.put("IMPUSH_DEDUPE_LEASE_MS", Long.toString(options.dedupeLease().toMillis()));
        env.put("IMPUSH_WORKER_DRAIN_TIMEOUT_MS", "5000");
        env.put("IMPUSH_OPS_PORT", "0");
        env.put("IMPUSH_RETRY_TIERS", options.retryTiers());
        env.putAll(vendors.workerEnv());
        env.putAll(options.workerEnv());
        return env;
    }

    /** Starts a worker replica in this JVM. */
    public PushWorker startWorker(String instanceId) {
        return startWorker(instanceId, Map.of());
    }

    /** Starts a worker replica in this JVM with some settings changed (e.g. a vendor behind a proxy). */
    public PushWorker startWorker(String instanceId, Map<String, String> overrides) {
        Map<String, String> vars = new HashMap<>(workerEnv(instanceId));
        vars.putAll(overrides);
        Env env = Env.of(vars);
        Clock clock = Clock.systemUTC();
        PushWorker w = PushWorker.start(WorkerConfig.fromEnv(env), Channels.fromEnv(env, clock), meters, clock);
        workers.add(w);
        return w;
    }

    /** Starts a worker replica as a separate JVM (for crash tests: it can be killed with SIGKILL). */
    public WorkerProcess startWorkerProcess(String instanceId) throws Exception {
        return startWorkerProcess(instanceId, Map.of());
    }

    /** As {@link #startWorkerProcess(String)}, with some settings changed. */
    public WorkerProcess startWorkerProcess(String instanceId, Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>(workerEnv(instanceId));
        env.putAll(overrides);
        WorkerProcess p = WorkerProcess.start(instanceId, env);
        processes.add(p);
        return p;
    }

    /**
     * Starts the offline detector as a separate JVM (pipelines started {@link Options#withoutDetector()}),
     * with the in-JVM detector's settings and {@code overrides} (environment keys of
     * {@link DetectorConfig}); its own state directory, ops port ephemeral.
     */
    public DetectorProcess startDetectorProcess(String name, Map<String, String> overrides) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.putAll(stack.kafka().serviceEnv());
        env.put(DetectorConfig.APP_ID, "impush-offline-detector");
        env.put(DetectorConfig.STATE_DIR, Files.createTempDirectory("impush-detector-" + name).toString());
        env.put(DetectorConfig.ACK_TIMEOUT_MS, Long.toString(ACK_TIMEOUT.toMillis()));
        env.put(DetectorConfig.OPS_PORT, "0");
        env.putAll(overrides);
        DetectorProcess p = DetectorProcess.start(name, env);
        detectorProcesses.add(p);
        return p;
    }

    public String bootstrapServers() {
        return stack.bootstrapServers();
    }

    public LocalStack stack() {
        return stack;
    }

    public MockApns apns() {
        return vendors.apns();
    }

    public MockFcmServer fcm() {
        return vendors.fcm();
    }

    public MockVendors vendors() {
        return vendors;
    }

    /** What the vendor saw, for the device's channel. */
    public DeliveryLedger ledger(Channel channel) {
        return vendors.ledger(channel);
    }

    public MeterRegistry meters() {
        return meters;
    }

    /** Sum of a counter over all its tag values (0 when never incremented). */
    public double count(String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() {
        processes.forEach(WorkerProcess::close);
        detectorProcesses.forEach(DetectorProcess::close);
        workers.forEach(PushWorker::close);
        if (detector != null) {
            detector.close();
        }
        vendors.close();
        stack.close();
    }
}
