package dev.impush.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.localstack.FixtureMode;
import dev.impush.localstack.LocalStack;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.kafka.KafkaTopics;
import dev.impush.localstack.redis.RedisClusterProcess;
import dev.impush.localstack.traffic.Crc32Partitioner;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.DoubleFunction;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * {@code scripts/bench}: the push worker (its own JVM) against the raw Pushy channel limit, at vendor
 * latency 0 ms (Pushy's MockApnsServer) and {@code --latency-ms} (a latency-injecting HTTP/2 APNs),
 * plus the detector's events/s; medians of {@code --runs}. Not a test: nothing asserts on timing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Worker vs raw APNs channel limit, vendor latency, p99 at half rate, CPU/RSS, detector events/s.")
public final class Bench implements Callable<Integer> {
    static final String TOPIC = "com.example.chat";

    @Option(names = "--jobs", description = "jobs preloaded per worker phase (default ${DEFAULT-VALUE})")
    int jobs = 100_000;
    @Option(names = "--warmup", description = "jobs per warm-up round of each worker JVM (rounds run until the rate stops rising; default ${DEFAULT-VALUE})")
    int warmup = 20_000;
    @Option(names = "--vendor-threads", description = "event loop threads of the mock APNs servers (default: cores = ${DEFAULT-VALUE})")
    int vendorThreads = Runtime.getRuntime().availableProcessors();
    @Option(names = "--runs", description = "repetitions; medians are reported (default ${DEFAULT-VALUE})")
    int runs = 3;
    @Option(names = "--latency-ms", description = "response latency of the slow vendor (default ${DEFAULT-VALUE})")
    long latencyMs = 100;
    @Option(names = "--quick", description = "1 run, 10,000 jobs (at most 8 warm-up rounds of 5,000), smaller detector load, 3 s paced phase")
    boolean quick;
    @Option(names = "--connections", description = "APNs HTTP/2 connections, worker and raw client (default ${DEFAULT-VALUE})")
    int connections = dev.impush.worker.channel.apns.ApnsConfig.DEFAULT_CONNECTIONS;
    @Option(names = "--window", description = "raw client in-flight window (default ${DEFAULT-VALUE})")
    int window = 1000;
    @Option(names = "--max-streams", description = "slow vendor's SETTINGS_MAX_CONCURRENT_STREAMS (default ${DEFAULT-VALUE}, like APNs)")
    int maxStreams = 1000;
    @Option(names = "--partitions", description = "partitions of the job and event topics (default ${DEFAULT-VALUE})")
    int partitions = 4;
    @Option(names = "--paced-seconds", description = "length of each paced phase: half rate and the curve's steps (default ${DEFAULT-VALUE})")
    int pacedSeconds = 5;
    @Option(names = "--paced-rate", description = "jobs/s of the latency phase (default: half the worker's measured maximum)")
    double pacedRate;
    @Option(names = "--bulk-backlog", description = "jobs preloaded on the bulk lane before a second half-rate chat phase,"
            + " which measures chat latency while the bulk backlog drains (default ${DEFAULT-VALUE}: no such phase)")
    int bulkBacklog;
    @Option(names = "--broadcast", description = "devices registered with an offline detector (its own JVM) that"
            + " broadcasts to all of them in every run, into the 0 ms worker's bulk lane, while chat jobs run at half"
            + " rate: fan-out devices/s, chat latency with and without, detector RSS (default ${DEFAULT-VALUE}: no such phase)")
    int broadcastDevices;
    @Option(names = "--broadcast-rate", description = "ratePerSecond of the broadcast beside chat (default ${DEFAULT-VALUE})")
    long broadcastRate = 10_000;
    @Option(names = "--detector-heap", description = "-Xmx of the broadcast phase's detector JVM (default ${DEFAULT-VALUE})")
    String detectorHeap = "512m";
    @Option(names = "--e2e-rate", description = "IM messages/s of the event -> vendor phase: message events through an"
            + " offline detector (its own JVM) and the 0 ms worker, with routed and acked for connected devices"
            + " (default ${DEFAULT-VALUE}; 0 skips it)")
    double e2eRate = 5_000;
    @Option(names = "--e2e-seconds", description = "length of the event -> vendor phase (default ${DEFAULT-VALUE})")
    int e2eSeconds = 10;
    @Option(names = "--e2e-devices", description = "devices (one per user) of the event -> vendor phase (default ${DEFAULT-VALUE})")
    int e2eDevices = 20_000;
    @Option(names = "--e2e-online", description = "share of them connected over the long connection (default ${DEFAULT-VALUE})")
    double e2eOnline = 0.7;
    @Option(names = "--e2e-commit-ms", split = ",", description = "detector commit intervals of the event -> vendor"
            + " phase, a detector JVM each (default ${DEFAULT-VALUE}, the product default)")
    List<Long> e2eCommitMs = List.of(dev.impush.detector.DetectorConfig.DEFAULT_COMMIT_INTERVAL.toMillis());
    @Option(names = "--channel-jobs", description = "jobs per channel phase: every vendor channel alone (worker and the"
            + " channel's own client against the same mock) and mixed, as in the quickstart (default ${DEFAULT-VALUE};"
            + " 0 skips it)")
    int channelJobs = 20_000;
    @Option(names = "--curve", split = ",", description = "offered loads of the latency-throughput curve, as shares of"
            + " the worker's measured maximum, each paced for --paced-seconds on an open-loop schedule (default"
            + " ${DEFAULT-VALUE}; the 0.5 step is the half-rate phase)")
    List<Double> curveLoads = List.of(0.1, 0.25, 0.5, 0.75, 0.9);
    @Option(names = "--linger-ms", description = "linger.ms of the job producer (default ${DEFAULT-VALUE}, the Kafka client's default)")
    int lingerMs = 5;
    @Option(names = "--max-warmups", description = "most warm-up rounds of a worker JVM (default ${DEFAULT-VALUE})")
    int maxWorkerWarmups = 40;
    @Option(names = "--worker-heap", description = "worker -Xmx (default ${DEFAULT-VALUE})")
    String workerHeap = "256m";
    @Option(names = "--worker-java-opt", description = "extra worker JVM flag (repeatable), e.g. -XX:+UseZGC")
    List<String> workerJavaOpts = new ArrayList<>();
    @Option(names = "--worker-env", description = "extra worker environment, KEY=VALUE (repeatable), e.g. IMPUSH_WORKER_MAX_IN_FLIGHT=20000")
    Map<String, String> workerEnv = new LinkedHashMap<>();
    @Option(names = "--detector-env", description = "extra environment of the detector JVMs (--e2e-rate, --broadcast),"
            + " KEY=VALUE (repeatable), e.g. IMPUSH_KAFKA_PROPERTY_PRODUCER_COMPRESSION_TYPE=zstd")
    Map<String, String> detectorEnv = new LinkedHashMap<>();
    @Option(names = "--nmt", description = "track the worker JVMs' native memory (-XX:NativeMemoryTracking=summary) and,"
            + " after each run, print what the heap, class metadata, threads, code, GC and direct buffers take"
            + " (bench-results/nmt-<worker>-r<run>.txt)")
    boolean nmt;
    @Option(names = "--jfr", description = "record the 0 ms worker JVM with JFR (bench-results/worker-w0.jfr, and worker-w0c.jfr with --redis-cluster; with --broadcast, the detector too: detector-broadcast.jfr)")
    boolean jfr;
    @Option(names = "--detector-devices", description = "devices in the detector bench (default ${DEFAULT-VALUE})")
    int detectorDevices = 20_000;
    @Option(names = "--detector-messages", description = "chat messages in the detector bench (default ${DEFAULT-VALUE})")
    int detectorMessages = 50_000;
    @Option(names = "--offline-ratio", description = "share of devices offline in the detector bench (default ${DEFAULT-VALUE})")
    double offlineRatio = 0.6;
    @Option(names = "--detector-threads", description = "detector stream threads (default ${DEFAULT-VALUE})")
    int detectorThreads = 1;
    @Option(names = "--detector-commit-ms", description = "detector commit interval (default ${DEFAULT-VALUE}, the product default)")
    long detectorCommitMs = dev.impush.detector.DetectorConfig.DEFAULT_COMMIT_INTERVAL.toMillis();
    @Option(names = "--ack-mix", description = "share of devices online in the detector's ack-mix scenario, every "
            + "delivery to them followed by routed and acked, as most IM traffic is (default ${DEFAULT-VALUE}; 0 skips it)")
    double ackMix = 0.7;
    @Option(names = "--detector-partitioner", description = "how the IM server's producer partitions events: murmur2"
            + " (Kafka's Java client) or crc32 (librdkafka's default: most events are rerouted by the detector)"
            + " (default ${DEFAULT-VALUE})")
    String detectorPartitioner = "murmur2";
    @Option(names = "--redis-cluster", description = "also measure the worker (vendor 0 ms, full and half rate) with"
            + " its dedupe and quotas on a Redis Cluster of 3 masters with a replica each (local redis-server"
            + " processes), beside the same worker on one redis-server, in every run")
    boolean redisCluster;
    @Option(names = "--no-detector", description = "skip the detector bench")
    boolean noDetector;
    @Option(names = "--detector-only", description = "only the detector bench (both scenarios): no raw limit, no worker")
    boolean detectorOnly;
    @Option(names = "--out", description = "results directory (default ${DEFAULT-VALUE})")
    Path out = Path.of("bench-results");

    private LocalStack stack;
    private RedisLink redisLink;
    private RedisLink.Session redis;
    private RedisClusterProcess cluster;
    private RedisLink clusterLink;
    private RedisLink.Session clusterRedis;
    private MockApns apns;
    private List<String> tokens;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    /** One phase of the worker. */
    record WorkerResult(Arrivals.Summary preload, Arrivals.Summary paced, double pacedRate, double cores,
                        double cpuMsPer1k, double pacedCores, long peakRssKb, long lifetimePeakRssKb, List<Step> curve, BulkPhase bulk,
                        BroadcastPhase.Result broadcast, List<E2ePhase.Result> e2e) {
        /** The highest offered load of the curve whose p99 met the target, jobs/s; 0 when none did. */
        double knee() {
            return curve.stream().filter(s -> s.latency().p99Ms() <= P99_TARGET_MS).mapToDouble(Step::rate).max().orElse(0);
        }
    }

    /**
     * Chat jobs at the half rate while a bulk-lane backlog drains: their latency, and the bulk jobs
     * delivered during the chat phase and in all (per second).
     */
    record BulkPhase(Arrivals.Summary chat, int backlog, double bulkPerSecondDuringChat, double bulkPerSecond) {}

    /** One step of the latency-throughput curve: {@code load} of the maximum, offered at {@code rate} jobs/s. */
    record Step(double load, double rate, Arrivals.Summary latency) {}

    /** The job -> vendor p99 the worker must meet, ms. */
    static final double P99_TARGET_MS = 50;

    /** One run; {@code w0c} is the worker on a Redis Cluster ({@code --redis-cluster}), else null. */
    record Run(Arrivals.Summary limit0, WorkerResult w0, Arrivals.Summary limitL, WorkerResult wL, WorkerResult w0c,
               DetectorBench.Result detector, DetectorBench.Result detectorAcks, ChannelsPhase.Result channels) {}

    @Override
    public Integer call() throws Exception {
        if (quick) {
            jobs = Math.min(jobs, 10_000);
            warmup = Math.min(warmup, 5_000);
            maxWorkerWarmups = Math.min(maxWorkerWarmups, 8);
            runs = 1;
            pacedSeconds = Math.min(pacedSeconds, 3);
            detectorDevices = Math.min(detectorDevices, 10_000);
            detectorMessages = Math.min(detectorMessages, 20_000);
            e2eSeconds = Math.min(e2eSeconds, 3);
            e2eDevices = Math.min(e2eDevices, 10_000);
            channelJobs = Math.min(channelJobs, 5_000);
        }
        requireOptions();
        Files.createDirectories(out);
        long started = System.nanoTime();
        System.out.printf("impush bench: %,d jobs x %d run(s), vendor latency 0 and %d ms, %d APNs connections, %d partitions,"
                + " %s; this JVM (broker, vendor mocks, load) collects with %s (BENCH_JAVA_OPTS)%n", jobs, runs, latencyMs,
                connections, partitions,
                redisCluster ? "one redis-server and a Redis Cluster (3 masters, 1 replica each)" : "one redis-server",
                harnessGc());
        stack = LocalStack.start(FixtureMode.LOCAL).withDefaultTopics(partitions, List.of());
        redisLink = RedisConnection.of(stack.redisUri()).open(o -> o, Duration.ofSeconds(5));
        redis = redisLink.connect();
        if (redisCluster) {
            cluster = RedisClusterProcess.start(3, Integer.getInteger("bench.replicas", 1));
            clusterLink = RedisConnection.of(cluster.uri()).open(o -> o, Duration.ofSeconds(5));
            clusterRedis = clusterLink.connect();
        }
        apns = MockApns.start(java.time.Clock.systemUTC(), vendorThreads);
        apns.ledger().listen((channel, messageId, deviceId) -> Arrivals.record(messageId));
        BenchCredentials creds = BenchCredentials.generate();
        LatencyApns slow = LatencyApns.start(creds, latencyMs, maxStreams, vendorThreads);
        RawLimit.Target fast = new RawLimit.Target(apns.host(), apns.port(), apns.trustCertFile(), apns.signingKeyFile(),
                apns.teamId(), apns.keyId());
        RawLimit.Target slowT = new RawLimit.Target("127.0.0.1", slow.port(), creds.certificateFile(), apns.signingKeyFile(),
                apns.teamId(), apns.keyId());
        int distinct = Math.min(jobs, 10_000);
        tokens = new ArrayList<>(distinct);
        for (int i = 0; i < distinct; i++) {
            String t = MockApns.randomToken();
            tokens.add(t);
            apns.registerDevice("d" + i, t, TOPIC);
        }
        List<Run> results = new ArrayList<>();
        try {
            if (!detectorOnly) {
                // The raw client and the vendor servers share this JVM: warm them until the limit stops
                // rising (C2 keeps improving them for several rounds), else run 1 understates the limit.
                warmUntilFlat("raw limit 0 ms", rate("/s"), 12, Bench::ownCompileMillis,
                        w -> limit(fast, "warm" + w + "-m", Math.max(jobs, warmup)).perSecond());
                limit(slowT, "warmL-m", Math.max(1, warmup / 4));
            }
            // The detector first, while the broker that shares this JVM is fresh, as it is for the
            // raw limit. Two scenarios: the chat mix (--offline-ratio offline) and the ack mix (most
            // deliveries online, so routed and acked are most of the input).
            List<DetectorBench.Result> detector = new ArrayList<>();
            List<DetectorBench.Result> detectorAcks = new ArrayList<>();
            if (!noDetector) {
                warmUntilFlat("detector", rate(" events/s"), 8, Bench::ownCompileMillis, w -> detector("warmd" + w, offlineRatio)
                        .eventsPerSecond());
                if (ackMix > 0) {
                    warmUntilFlat("detector, ack mix", rate(" events/s"), 4, Bench::ownCompileMillis,
                            w -> detector("warma" + w, 1 - ackMix).eventsPerSecond());
                }
                for (int r = 1; r <= runs; r++) {
                    DetectorBench.Result det = detector("r" + r + "d", offlineRatio);
                    System.out.printf("run %d/%d%n  detector        : %s%n", r, runs, describe(det));
                    detector.add(det);
                    if (ackMix > 0) {
                        DetectorBench.Result acks = detector("r" + r + "a", 1 - ackMix);
                        System.out.printf("  detector, acks  : %s%n", describe(acks));
                        detectorAcks.add(acks);
                    }
                }
            }
            if (detectorOnly) {
                for (int r = 0; r < runs && !detector.isEmpty(); r++) {
                    results.add(new Run(null, null, null, null, null, detector.get(r),
                            detectorAcks.isEmpty() ? null : detectorAcks.get(r), null));
                }
            } else {
                workers(fast, slowT, detector, detectorAcks, results);
            }
        } finally {
            slow.close();
            apns.close();
            redis.close();
            redisLink.close();
            if (cluster != null) {
                clusterRedis.close();
                clusterLink.close();
                cluster.close();
            }
            stack.close();
        }
        report(results, (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** Refuses options that would make a phase measure nothing (and its warm-up never settle). */
    /**
     * This JVM's collectors: its pauses stop the broker, the vendor mocks and the load generator, and
     * count as latency of whatever they delay (with G1, 30–110 ms young pauses under a broadcast).
     */
    private static String harnessGc() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
    }

    private void requireOptions() {
        CommandLine cmd = new CommandLine(this);
        require(cmd, runs >= 1, "--runs must be at least 1");
        require(cmd, e2eRate >= 0 && e2eSeconds >= 1 && e2eDevices >= 1, "--e2e-rate must be at least 0,"
                + " --e2e-seconds and --e2e-devices at least 1");
        require(cmd, e2eOnline >= 0 && e2eOnline < 1, "--e2e-online must be in [0, 1): some devices must be offline");
        require(cmd, e2eRate == 0 || (!e2eCommitMs.isEmpty() && e2eCommitMs.stream().allMatch(c -> c >= 1)),
                "--e2e-commit-ms must list intervals of at least 1 ms");
        require(cmd, channelJobs >= 0, "--channel-jobs must be at least 0");
    }

    private static void require(CommandLine cmd, boolean ok, String message) {
        if (!ok) {
            throw new CommandLine.ParameterException(cmd, message);
        }
    }

    /**
     * The worker phases of every run, each added to {@code results} with the run's detector results.
     * One worker JVM per vendor (and per Redis), warmed once and measured in every run, as a worker in
     * service is: long compiled. Each run measures the raw limit while the workers idle; the worker on
     * a Redis Cluster is measured right after the one on one redis-server, so both see the same machine.
     */
    private void workers(RawLimit.Target fast, RawLimit.Target slowT, List<DetectorBench.Result> detector,
                         List<DetectorBench.Result> detectorAcks, List<Run> results) throws Exception {
        try {
            List<Arrivals.Summary> limits0 = new ArrayList<>();
            List<WorkerResult> w0 = new ArrayList<>();
            List<WorkerResult> w0c = new ArrayList<>();
            try (WorkerUnderTest onServer = new WorkerUnderTest("w0", fast, true, true, stack.redisUri());
                 WorkerUnderTest onCluster = cluster == null ? null : new WorkerUnderTest("w0c", fast, true, false, cluster.uri())) {
                for (int r = 1; r <= runs; r++) {
                    Arrivals.Summary l = limit(fast, "r" + r + "-lim0-m", jobs);
                    System.out.printf("run %d/%d%n  raw limit   0 ms: %,9.0f/s%n", r, runs, l.perSecond());
                    limits0.add(l);
                    WorkerResult w = onServer.measure(r);
                    System.out.printf("  worker      0 ms: %,9.0f/s  (%.2f cores, %.0f ms CPU per 1,000 jobs, peak RSS %d MB,"
                            + " %d with the warm-up);"
                            + " half rate %,.0f/s (%.2f cores): p50 %.1f p95 %.1f p99 %.1f ms%n", w.preload().perSecond(),
                            w.cores(), w.cpuMsPer1k(), w.peakRssKb() / 1024, w.lifetimePeakRssKb() / 1024, w.pacedRate(), w.pacedCores(),
                            w.paced().p50Ms(), w.paced().p95Ms(), w.paced().p99Ms());
                    if (w.bulk() != null) {
                        BulkPhase b = w.bulk();
                        System.out.printf("  chat at half rate with %,d bulk jobs draining: p50 %.1f p95 %.1f p99 %.1f ms"
                                + " (%.2fx the p99 without); bulk %,.0f/s meanwhile, %,.0f/s to the end%n", b.backlog(),
                                b.chat().p50Ms(), b.chat().p95Ms(), b.chat().p99Ms(), b.chat().p99Ms() / w.paced().p99Ms(),
                                b.bulkPerSecondDuringChat(), b.bulkPerSecond());
                    }
                    w0.add(w);
                    if (onCluster != null) {
                        WorkerResult c = onCluster.measure(r);
                        System.out.printf("  worker, Redis Cluster: %,9.0f/s  (%.2f cores, %.0f ms CPU per 1,000 jobs);"
                                + " half rate %,.0f/s: p50 %.1f p95 %.1f p99 %.1f ms%n", c.preload().perSecond(), c.cores(),
                                c.cpuMsPer1k(), c.pacedRate(), c.paced().p50Ms(), c.paced().p95Ms(), c.paced().p99Ms());
                        w0c.add(c);
                    }
                }
            }
            List<Arrivals.Summary> limitsL = new ArrayList<>();
            List<WorkerResult> wL = new ArrayList<>();
            try (WorkerUnderTest slow = new WorkerUnderTest("wL", slowT, false, false, stack.redisUri())) {
                for (int r = 1; r <= runs; r++) {
                    Arrivals.Summary l = limit(slowT, "r" + r + "-limL-m", jobs);
                    System.out.printf("run %d/%d%n  raw limit %3d ms: %,9.0f/s%n", r, runs, latencyMs, l.perSecond());
                    limitsL.add(l);
                    WorkerResult w = slow.measure(r);
                    System.out.printf("  worker    %3d ms: %,9.0f/s  (%.2f cores, peak RSS %d MB, %d with the warm-up)%n",
                            latencyMs, w.preload().perSecond(), w.cores(), w.peakRssKb() / 1024, w.lifetimePeakRssKb() / 1024);
                    wL.add(w);
                }
            }
            List<ChannelsPhase.Result> channels = channelJobs > 0 ? channels() : List.of();
            for (int r = 0; r < runs; r++) {
                results.add(new Run(limits0.get(r), w0.get(r), limitsL.get(r), wL.get(r), w0c.isEmpty() ? null : w0c.get(r),
                        detector.isEmpty() ? null : detector.get(r), detectorAcks.isEmpty() ? null : detectorAcks.get(r),
                        channels.isEmpty() ? null : channels.get(r)));
            }
        } finally {
            Arrivals.CURRENT.set(null);
        }
    }

    /**
     * Every channel alone and mixed ({@link ChannelsPhase}), one worker JVM warmed once, in every run;
     * each run's channel figures.
     */
    private List<ChannelsPhase.Result> channels() throws Exception {
        List<ChannelsPhase.Result> results = new ArrayList<>();
        try (ChannelsPhase phase = ChannelsPhase.start(stack.bootstrapServers(), stack.redisUri(), partitions,
                Math.max(1_000, channelJobs / 2), window, workerHeap, workerEnv,
                jfr ? out.toAbsolutePath().resolve("worker-channels.jfr") : null, () -> {
                    emptyDedupeStore();
                    collectHarnessGarbage();
                })) {
            warmUntilFlat("worker, all channels", rate("/s"), maxWorkerWarmups, phase::workerCompileMillis,
                    w -> phase.mixedRound("w" + w, warmup, timeout()));
            phase.warmClients(warmup, timeout());
            for (int r = 1; r <= runs; r++) {
                ChannelsPhase.Result res = phase.run(r, channelJobs, timeout());
                System.out.printf("run %d/%d, channels: mixed %,.0f jobs/s%n", r, runs, res.mixedPerSecond());
                for (ChannelsPhase.ChannelResult c : res.channels()) {
                    System.out.printf("  %-7s worker %,8.0f/s  own client %,8.0f/s  ratio %.2f  (%.0f ms CPU per 1,000 jobs)%n",
                            c.channel().wireName(), c.workerPerSecond(), c.limitPerSecond(), c.ratio(), c.workerCpuMsPer1k());
                }
                results.add(res);
            }
        }
        return results;
    }

    /** One detector run of the bench's population with {@code offline} of the devices offline. */
    private DetectorBench.Result detector(String tag, double offline) throws Exception {
        return DetectorBench.run(stack.bootstrapServers(), tag, detectorDevices, offline, detectorMessages, partitions,
                detectorThreads, Duration.ofMillis(detectorCommitMs), switch (detectorPartitioner) {
                    case "murmur2" -> null;
                    case "crc32" -> Crc32Partitioner.class;
                    default -> throw new IllegalArgumentException("--detector-partitioner " + detectorPartitioner
                            + ": murmur2 or crc32");
                });
    }

    private static String describe(DetectorBench.Result r) {
        return String.format(Locale.ROOT, "%,9.0f events/s  (%,d events, %.0f %% routed/acked, %,d jobs, %.2f s)",
                r.eventsPerSecond(), r.events(), 100.0 * r.acks() / r.events(), r.jobs(), r.seconds());
    }

    /** The raw client's rate against {@code target}: the channel limit. */
    private Arrivals.Summary limit(RawLimit.Target target, String prefix, int n) throws Exception {
        clearLedger();
        collectHarnessGarbage();
        return RawLimit.run(target, connections, window, tokens, TOPIC, prefix, n, timeout());
    }

    private long timeout() {
        return 30_000 + jobs;
    }

    /**
     * A worker JVM against one vendor and one Redis, with its own job topic, warmed until its JIT
     * settles when started; {@link #measure} is one run: a preloaded backlog at full speed and,
     * when {@code paced}, half that rate for the latency percentiles.
     */
    private final class WorkerUnderTest implements AutoCloseable {
        private final String tag;
        private final boolean paced;
        private final boolean curve;
        private final String topic;
        private final String bulkTopic;
        private final KafkaProducer<byte[], byte[]> producer;
        private final MeasuredJvm w;
        private BroadcastPhase broadcast;
        private final List<E2ePhase> e2ePhases = new ArrayList<>();

        WorkerUnderTest(String tag, RawLimit.Target vendor, boolean paced, boolean curve, String redisUri) throws Exception {
            this.tag = tag;
            this.paced = paced;
            this.curve = curve;
            this.topic = "bench." + tag + ".jobs";
            this.bulkTopic = "bench." + tag + ".bulk";
            KafkaTopics.createAndAwait(stack.bootstrapServers(), Map.of(topic, partitions, bulkTopic, partitions), List.of());
            this.producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                    new ByteArraySerializer(), new ByteArraySerializer());
            Map<String, String> env = new HashMap<>();
            env.put("IMPUSH_KAFKA_BOOTSTRAP", stack.bootstrapServers());
            env.put("IMPUSH_REDIS_URI", redisUri);
            env.put("IMPUSH_TOPIC_JOBS", topic);
            env.put("IMPUSH_TOPIC_JOBS_BULK", bulkTopic);
            env.put("IMPUSH_WORKER_GROUP", "bench-" + tag);
            env.put("IMPUSH_WORKER_INSTANCE_ID", "bench-" + tag);
            env.put("IMPUSH_WORKER_DRAIN_TIMEOUT_MS", "2000");
            env.put("IMPUSH_OPS_PORT", "0");
            env.put("IMPUSH_LOG_LEVEL", "WARN");
            env.put("IMPUSH_APNS_KEY_FILE", vendor.signingKey().toString());
            env.put("IMPUSH_APNS_KEY_ID", vendor.keyId());
            env.put("IMPUSH_APNS_TEAM_ID", vendor.teamId());
            env.put("IMPUSH_APNS_HOST", vendor.host());
            env.put("IMPUSH_APNS_PORT", Integer.toString(vendor.port()));
            env.put("IMPUSH_APNS_TRUST_CERT_FILE", vendor.trustCert().toString());
            env.put("IMPUSH_APNS_CONNECTIONS", Integer.toString(connections));
            env.putAll(workerEnv);
            Path jfrFile = jfr && paced ? out.toAbsolutePath().resolve("worker-" + tag + ".jfr") : null;
            List<String> opts = new ArrayList<>(workerJavaOpts);
            if (nmt) {
                opts.add("-XX:NativeMemoryTracking=summary");
            }
            this.w = MeasuredJvm.start(env, workerHeap, opts, jfrFile);
            warm();
            w.resetPeak(); // the peak RSS measured is that of the timed phases; the warm-up's is kept beside it
        }

        private void warm() throws Exception {
            double warmRate = 0;
            if (warmup > 0) {
                // warmed like the raw client and the detector: a worker in service has long been compiled
                warmRate = warmUntilFlat("worker " + tag, rate("/s"), maxWorkerWarmups, w::compileMillis, round -> {
                    Jobs warm = prepare(tag + "w" + round + "-m", warmup);
                    if (!preloadAndAwait(producer, topic, warm, w, timeout())) {
                        System.out.printf("  worker %s warm-up: only %,d of %,d delivered in time%n", tag,
                                warm.arrivals().count(), warmup);
                    }
                    return warm.arrivals().summary().perSecond();
                });
            }
            if (paced && warmup > 0) {
                // the paced path too (small polls, small producer batches, the broker's
                // per-request work): else run 1's latency measures compilation
                double rate = pacedRate > 0 ? pacedRate : Math.max(100, warmRate / 2);
                Jobs warm = prepare(tag + "wp-m", (int) (rate * Math.min(3, pacedSeconds)));
                pacedAndAwait(producer, topic, warm, rate, 30_000);
            }
        }

        WorkerResult measure(int run) throws Exception {
            Jobs preload = prepare("r" + run + "-" + tag + "-m", jobs);
            if (!preloadAndAwait(producer, topic, preload, w, timeout())) {
                System.out.printf("  worker %s: only %,d of %,d delivered in time (log %s)%n", tag,
                        preload.arrivals().count(), jobs, w.log());
            }
            Arrivals.Summary s = preload.arrivals().summary();
            double cores = w.coresBetween(s.firstNanos(), s.lastNanos());
            double cpuMsPer1k = w.cpuSecondsBetween(s.firstNanos(), s.lastNanos()) * 1000 / Math.max(1, s.arrived()) * 1000;
            Arrivals.Summary ps = null;
            double rate = 0;
            double pacedCores = 0;
            List<Step> steps = new ArrayList<>();
            if (paced) {
                rate = pacedRate > 0 ? pacedRate : Math.max(100, s.perSecond() / 2);
                ps = paced(run + "p", rate);
                pacedCores = w.coresBetween(ps.firstNanos(), ps.lastNanos());
            }
            if (curve) {
                for (double load : curveLoads.stream().sorted().toList()) {
                    double stepRate = Math.max(100, load * s.perSecond());
                    boolean half = load == 0.5 && pacedRate <= 0;
                    steps.add(new Step(load, stepRate, half ? ps : paced(run + "c" + Math.round(load * 100), stepRate)));
                }
            }
            BulkPhase bulk = paced && bulkBacklog > 0 ? withBulkBacklog(run, rate) : null;
            BroadcastPhase.Result bc = curve && broadcastDevices > 0 ? withBroadcast(run, rate) : null;
            List<E2ePhase.Result> e2e = curve && e2eRate > 0 ? eventToVendor(run) : List.of();
            if (nmt) {
                nativeMemory(run);
            }
            return new WorkerResult(s, ps, rate, cores, cpuMsPer1k, pacedCores, w.peakRssKb(), w.lifetimePeakRssKb(), steps,
                    bulk, bc, e2e);
        }

        /**
         * IM messages at {@link #e2eRate} through a detector at each of {@link #e2eCommitMs} into this
         * worker: event -> vendor latency. The detectors start (and are warmed) in run 1 and serve every run.
         */
        private List<E2ePhase.Result> eventToVendor(int run) throws Exception {
            if (e2ePhases.isEmpty()) {
                for (long commit : e2eCommitMs) {
                    E2ePhase phase = E2ePhase.start(stack.bootstrapServers(), commit, e2eDevices, e2eOnline, tokens, TOPIC,
                            topic, bulkTopic, partitions, lingerMs, detectorHeap, detectorThreads, detectorEnv,
                            jfr ? out.toAbsolutePath().resolve("detector-e2e-c" + commit + ".jfr") : null);
                    e2ePhases.add(phase);
                    // warmed like the worker: until the detector's JIT has settled and the p99 stops falling
                    warmUntilFlat("event -> vendor, commit " + commit + " ms",
                            v -> String.format(Locale.ROOT, "p99 %,.1f ms", 1000 / v), Math.min(15, maxWorkerWarmups),
                            phase::compileMillis, k -> 1000 / phase.run("e2e-c" + commit + "w" + k + "-m", e2eRate,
                                    Math.min(5, e2eSeconds), this::resetForPhase, 30_000).latency().p99Ms());
                }
            }
            List<E2ePhase.Result> results = new ArrayList<>();
            for (E2ePhase phase : e2ePhases) {
                E2ePhase.Result r = phase.run("r" + run + "e" + phase.commitMs() + "-m", e2eRate, e2eSeconds,
                        this::resetForPhase, 30_000);
                Arrivals.Summary l = r.latency();
                System.out.printf("  event -> vendor at %,.0f messages/s (%,d events, %,d pushed), detector commit %d ms:"
                        + " p50 %.1f p95 %.1f p99 %.1f p99.9 %.1f ms (detector %.2f cores)%n", r.rate(), r.events(),
                        l.arrived(), r.commitMs(), l.p50Ms(), l.p95Ms(), l.p99Ms(), l.p999Ms(), r.detectorCores());
                results.add(r);
            }
            return results;
        }

        /** Before a timed phase: the dedupe store emptied, the ledger cleared, the harness's garbage collected. */
        private void resetForPhase() {
            emptyDedupeStore();
            clearLedger();
            collectHarnessGarbage();
        }

        /**
         * Broadcasts to {@link #broadcastDevices} devices through a detector into this worker's bulk
         * lane: one with the detector alone, one at {@link #broadcastRate} with chat jobs at {@code rate}
         * for the paced seconds from its start and, just before, as long without it.
         */
        private BroadcastPhase.Result withBroadcast(int run, double rate) throws Exception {
            if (broadcast == null) {
                broadcast = BroadcastPhase.start(stack.bootstrapServers(), broadcastDevices, tokens, TOPIC, topic,
                        bulkTopic, detectorHeap, detectorThreads, detectorEnv, jfr ? out.toAbsolutePath().resolve("detector-broadcast.jfr") : null);
                System.out.printf("  broadcast: %,d devices registered; the detector read them in %.0f s (RSS %d MB)%n",
                        broadcastDevices, broadcast.loadSeconds(), broadcast.detectorRssKb() / 1024);
            }
            String id = Arrivals.BULK_PREFIX + "bc-r" + run + "-" + tag;
            int[] phase = {0};
            BroadcastPhase.Result r = broadcast.run(id + "-alone", id, broadcastRate, w,
                    () -> offered(run + "bc" + phase[0]++, rate, pacedSeconds), this::resetForPhase,
                    timeout() + 2L * broadcastDevices);
            Arrivals.Summary without = r.chatWithout();
            System.out.printf("  broadcast to %,d devices: detector alone %,.0f devices/s (%.2f cores), worker drains %,.0f/s;"
                    + " at %,d/s beside chat: fan-out %,.0f/s, delivered %,.0f/s; chat at %,.0f/s p99 %.1f ms without,"
                    + " %.1f ms during (%.2fx); detector RSS %d MB before, at most %d MB during%n", r.devices(),
                    r.fanOutAlonePerSecond(), r.detectorCoresAlone(), r.drainPerSecond(), r.rate(), r.fanOutPerSecond(), r.deliveredPerSecond(),
                    rate, without.p99Ms(), r.chatDuring().p99Ms(), r.chatP99Ratio(), r.detectorRssBeforeKb() / 1024,
                    r.detectorMaxRssKb() / 1024);
            System.out.printf("    chat p99 ms of each second, without: %s%n    during: %s%n", without.p99s(),
                    r.chatDuring().p99s());
            return r;
        }

        /** Chat jobs at {@code rate}/s for {@code seconds} on an open-loop schedule, the dedupe store left as is. */
        private Arrivals.Summary offered(String phase, double rate, int seconds) throws Exception {
            Jobs jobs = prepare("r" + phase + "-" + tag + "-m", (int) (rate * seconds));
            produce(producer, topic, jobs, rate, true);
            if (!jobs.arrivals().await(30_000)) {
                System.out.printf("  paced %,.0f/s: only %,d of %,d delivered in time%n", rate, jobs.arrivals().count(),
                        jobs.size());
            }
            return jobs.arrivals().summary();
        }

        /**
         * {@link #bulkBacklog} jobs produced at once to the bulk lane, then chat jobs paced at {@code rate}
         * on the chat lane as in the half-rate phase: chat latency while the backlog drains.
         */
        private BulkPhase withBulkBacklog(int run, double rate) throws Exception {
            String prefix = Arrivals.BULK_PREFIX + "r" + run + "-" + tag + "-";
            Jobs bulk = prepare(prefix, bulkBacklog);
            Arrivals.BULK.set(0);
            emptyDedupeStore();
            long t0 = System.nanoTime();
            for (int i = 0; i < bulk.size(); i++) {
                producer.send(new ProducerRecord<>(bulkTopic, bulk.keys()[i], bulk.values()[i]));
            }
            producer.flush();
            Jobs chat = prepare("r" + run + "b-" + tag + "-m", (int) (rate * pacedSeconds));
            clearLedger();
            Arrivals.CURRENT.set(chat.arrivals());
            produce(producer, topic, chat, rate, false);
            if (!chat.arrivals().await(30_000)) {
                System.out.printf("  paced with bulk: only %,d of %,d delivered in time%n", chat.arrivals().count(), chat.size());
            }
            Arrivals.Summary cs = chat.arrivals().summary();
            int bulkDuring = Arrivals.BULK.get();
            long deadline = System.nanoTime() + timeout() * 1_000_000L;
            while (Arrivals.BULK.get() < bulkBacklog && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            double chatSeconds = Math.max(1e-9, (cs.lastNanos() - t0) / 1e9);
            return new BulkPhase(cs, bulkBacklog, bulkDuring / chatSeconds,
                    Arrivals.BULK.get() / Math.max(1e-9, (System.nanoTime() - t0) / 1e9));
        }

        /** Prints and keeps the worker's native memory summary after run {@code run}. */
        private void nativeMemory(int run) throws Exception {
            String summary = w.nativeMemory();
            Files.writeString(out.resolve("nmt-" + tag + "-r" + run + ".txt"), summary);
            StringBuilder line = new StringBuilder();
            Matcher m = Pattern.compile(
                    "(?m)^-\\s+(.+?) \\(reserved=\\d+MB, committed=(\\d+)MB\\)").matcher(summary);
            while (m.find()) {
                if (Integer.parseInt(m.group(2)) > 0) {
                    line.append(", ").append(m.group(1)).append(' ').append(m.group(2));
                }
            }
            Matcher total = Pattern.compile("Total: reserved=\\d+MB, committed=(\\d+)MB")
                    .matcher(summary);
            System.out.printf("  %s native memory, MB committed: total %s%s; RSS now %d, peak %d%n", tag,
                    total.find() ? total.group(1) : "?", line, w.rssKb() / 1024, w.peakRssKb() / 1024);
        }

        /** Jobs offered at {@code rate}/s for the paced seconds, on an open-loop schedule: what their latency was. */
        private Arrivals.Summary paced(String phase, double rate) throws Exception {
            Jobs pa = prepare("r" + phase + "-" + tag + "-m", (int) (rate * pacedSeconds));
            if (!pacedAndAwait(producer, topic, pa, rate, 30_000)) {
                System.out.printf("  paced %,.0f/s: only %,d of %,d delivered in time%n", rate, pa.arrivals().count(),
                        pa.size());
            }
            return pa.arrivals().summary();
        }

        @Override
        public void close() throws Exception {
            try (producer; w; BroadcastPhase b = broadcast) {
                for (E2ePhase phase : e2ePhases) {
                    phase.close();
                }
                w.terminate();
            }
        }
    }

    private interface Round {
        double rate(int round) throws Exception;
    }

    /**
     * Runs warm-up rounds until the JIT has settled and the rate stops rising, or {@code maxRounds}
     * ran. Settled: the JVM under test spent at most 5 % of the round compiling ({@code compileMillis}
     * counts its compiler threads' time) and the round was less than 5 % faster than the best so far,
     * from the third round on. C2 keeps improving the code for many rounds; a measurement on
     * half-compiled code says little about a service that runs for weeks, and a rate alone stops
     * too early when one round is noisy. The rate may be any figure where higher is better; {@code show}
     * prints it. Returns the last round's rate.
     */
    private static double warmUntilFlat(String what, DoubleFunction<String> show, int maxRounds, LongSupplier compileMillis,
                                        Round round)
            throws Exception {
        double best = 0;
        double rate = 0;
        for (int w = 1; w <= maxRounds; w++) {
            long c0 = compileMillis.getAsLong();
            long t0 = System.nanoTime();
            rate = round.rate(w);
            double compiling = (compileMillis.getAsLong() - c0) / ((System.nanoTime() - t0) / 1e6);
            System.out.printf("  warm-up %d, %s: %s  (JIT busy %.0f %% of the round)%n", w, what, show.apply(rate),
                    compiling * 100);
            if (w >= 3 && compiling <= 0.05 && rate < best * 1.05) {
                return rate;
            }
            best = Math.max(best, rate);
        }
        return rate;
    }

    /** Shows a warm-up round's rate in {@code unit}. */
    private static DoubleFunction<String> rate(String unit) {
        return v -> String.format(Locale.ROOT, "%,9.0f%s", v, unit);
    }

    /** Time this JVM's compiler threads spent compiling, in ms. */
    private static long ownCompileMillis() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /**
     * Collects this JVM's garbage before a timed phase (as JMH does between iterations): the
     * broker and the vendor mocks live here, and a young collection that has to copy the jobs just
     * prepared pauses them for 50-100 ms, which would show up as the worker's latency.
     */
    private static void collectHarnessGarbage() {
        System.gc();
    }

    /** Only the arrivals matter to a phase; a ledger growing over the whole bench would burden this JVM's GC. */
    private void clearLedger() {
        apns.ledger().clear();
    }

    /**
     * Empties the worker's dedupe Redis before a timed phase. The keys of earlier phases never
     * match again, but they pile up (about a million per worker JVM), and a Redis whose key count
     * crosses a power of two rehashes its tables for seconds: measured, redis-server went from 0.2
     * to 0.6 cores, and the half-rate p99 from about 30 to 130 ms, in the phase that crossed 2^20.
     */
    private void emptyDedupeStore() {
        redis.sync().flushall();
        if (clusterRedis != null) {
            clusterRedis.sync().flushall();
        }
    }

    /** Jobs serialised before they are timed, so building them does not compete with the worker. */
    private record Jobs(Arrivals arrivals, byte[][] keys, byte[][] values) {
        int size() {
            return values.length;
        }
    }

    private Jobs prepare(String prefix, int n) {
        Arrivals arrivals = new Arrivals(prefix, n);
        byte[][] keys = new byte[n][];
        byte[][] values = new byte[n][];
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            int k = i % tokens.size();
            String user = "u" + k;
            keys[i] = user.getBytes(StandardCharsets.UTF_8);
            values[i] = Json.write(chatJob(prefix + i, user, new PushTarget("d" + k, Channel.APNS, tokens.get(k), TOPIC,
                    false), "message " + i, now));
        }
        return new Jobs(arrivals, keys, values);
    }

    /** A chat push job from Alice to {@code user}'s one device, its message id in the data (the mocks report it). */
    static PushJob chatJob(String messageId, String user, PushTarget target, String body, Instant now) {
        return PushJob.of(messageId, user, "c-" + user,
                new Notification("Alice", body, 1, "default", messageId, "c-" + user, Priority.HIGH, false,
                        Map.of(Notification.MESSAGE_ID_KEY, messageId)),
                List.of(target), now, now.plusSeconds(3600));
    }

    /**
     * Preloads {@code jobs}: the worker is stopped (SIGSTOP) while they are produced, so the backlog
     * is in Kafka before it sees any and producing does not compete with it; then it continues and
     * drains the backlog. True when all were delivered within {@code timeoutMs}.
     */
    private boolean preloadAndAwait(KafkaProducer<byte[], byte[]> producer, String topic, Jobs jobs, MeasuredJvm worker,
                                    long timeoutMs) throws Exception {
        worker.whileSuspended(() -> {
            emptyDedupeStore();
            produce(producer, topic, jobs, 0, true);
            collectHarnessGarbage();
        });
        return jobs.arrivals().await(timeoutMs);
    }

    /** Produces {@code jobs} at {@code rate}/s to the running worker and waits for their delivery. */
    private boolean pacedAndAwait(KafkaProducer<byte[], byte[]> producer, String topic, Jobs jobs, double rate,
                                  long timeoutMs) throws InterruptedException {
        emptyDedupeStore();
        collectHarnessGarbage();
        produce(producer, topic, jobs, rate, true);
        return jobs.arrivals().await(timeoutMs);
    }

    /**
     * Produces {@code jobs}, all at once or at {@code rate}/s when it is positive, and flushes;
     * {@code record}: their arrivals are the phase the vendors record (the ledger starts empty).
     */
    private void produce(KafkaProducer<byte[], byte[]> producer, String topic, Jobs jobs, double rate, boolean record)
            throws InterruptedException {
        if (record) {
            clearLedger();
            Arrivals.CURRENT.set(jobs.arrivals());
        }
        OpenLoop.run(jobs.size(), rate, (i, slot) -> {
            jobs.arrivals().produced[i] = slot;
            producer.send(new ProducerRecord<>(topic, jobs.keys()[i], jobs.values()[i]));
        });
        producer.flush();
    }

    // ---- report ----

    private record Stat(double median, double min, double max) {}

    /** A worker figure: none in a detector-only bench. */
    private static Stat workerStat(List<Run> rs, java.util.function.ToDoubleFunction<Run> f) {
        return stat(rs, r -> r.w0() == null ? Double.NaN : f.applyAsDouble(r));
    }

    /** A figure of the worker on a Redis Cluster: none without {@code --redis-cluster}. */
    private static Stat clusterStat(List<Run> rs, java.util.function.ToDoubleFunction<Run> f) {
        return stat(rs, r -> r.w0c() == null ? Double.NaN : f.applyAsDouble(r));
    }

    /** A figure of the event -> vendor phase at the first of {@code --e2e-commit-ms}: none without it. */
    private static Stat e2eStat(List<Run> rs, java.util.function.ToDoubleFunction<E2ePhase.Result> f) {
        return stat(rs, r -> r.w0() == null || r.w0().e2e().isEmpty() ? Double.NaN : f.applyAsDouble(r.w0().e2e().getFirst()));
    }

    /** A figure of the broadcast phase: none without {@code --broadcast}. */
    private static Stat broadcastStat(List<Run> rs, java.util.function.ToDoubleFunction<BroadcastPhase.Result> f) {
        return stat(rs, r -> r.w0() == null || r.w0().broadcast() == null ? Double.NaN
                : f.applyAsDouble(r.w0().broadcast()));
    }

    private static Stat stat(List<Run> rs, java.util.function.ToDoubleFunction<Run> f) {
        double[] v = rs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return new Stat(Double.NaN, Double.NaN, Double.NaN);
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Stat(median, v[0], v[v.length - 1]);
    }

    /** A step of the curve over the runs: medians, and the p99's spread. */
    private record CurvePoint(double load, double rate, double p50, Stat p99, double p999) {}

    private static List<CurvePoint> curve(List<Run> rs) {
        List<Run> measured = rs.stream().filter(r -> r.w0() != null && !r.w0().curve().isEmpty()).toList();
        List<CurvePoint> points = new ArrayList<>();
        for (int j = 0; !measured.isEmpty() && j < measured.getFirst().w0().curve().size(); j++) {
            int step = j;
            java.util.function.Function<java.util.function.ToDoubleFunction<Step>, Stat> over =
                    f -> stat(measured, r -> f.applyAsDouble(r.w0().curve().get(step)));
            points.add(new CurvePoint(measured.getFirst().w0().curve().get(j).load(), over.apply(Step::rate).median(),
                    over.apply(s -> s.latency().p50Ms()).median(), over.apply(s -> s.latency().p99Ms()),
                    over.apply(s -> s.latency().p999Ms()).median()));
        }
        return points;
    }

    private void report(List<Run> rs, double seconds) throws Exception {
        Map<String, Stat> m = new LinkedHashMap<>();
        m.put("worker_jobs_per_s", workerStat(rs, r -> r.w0().preload().perSecond()));
        m.put("limit_jobs_per_s", workerStat(rs, r -> r.limit0().perSecond()));
        m.put("ratio", workerStat(rs, r -> r.w0().preload().perSecond() / r.limit0().perSecond()));
        m.put("vendor_sends_per_s", workerStat(rs, r -> r.w0().preload().sendsPerSecond()));
        m.put("worker_jobs_per_s_100ms", workerStat(rs, r -> r.wL().preload().perSecond()));
        m.put("limit_jobs_per_s_100ms", workerStat(rs, r -> r.limitL().perSecond()));
        m.put("latency_ratio_100ms", workerStat(rs, r -> r.wL().preload().perSecond() / r.w0().preload().perSecond()));
        m.put("paced_jobs_per_s", workerStat(rs, r -> r.w0().pacedRate()));
        m.put("p50_ms", workerStat(rs, r -> r.w0().paced().p50Ms()));
        m.put("p95_ms", workerStat(rs, r -> r.w0().paced().p95Ms()));
        m.put("p99_ms", workerStat(rs, r -> r.w0().paced().p99Ms()));
        m.put("preload_p99_ms", workerStat(rs, r -> r.w0().preload().p99Ms()));
        m.put("worker_cpu_cores", workerStat(rs, r -> r.w0().cores()));
        m.put("paced_worker_cpu_cores", workerStat(rs, r -> r.w0().pacedCores()));
        m.put("worker_cpu_ms_per_1k_jobs", workerStat(rs, r -> r.w0().cpuMsPer1k()));
        m.put("limit_worker_cpu_cores_100ms", workerStat(rs, r -> r.wL().cores()));
        m.put("peak_rss_mb", workerStat(rs, r -> Math.max(r.w0().peakRssKb(), r.wL().peakRssKb()) / 1024.0));
        m.put("peak_rss_mb_with_warmup", workerStat(rs,
                r -> Math.max(r.w0().lifetimePeakRssKb(), r.wL().lifetimePeakRssKb()) / 1024.0));
        m.put("knee_jobs_per_s", workerStat(rs, r -> r.w0().curve().isEmpty() ? Double.NaN : r.w0().knee()));
        m.put("e2e_messages_per_s", e2eStat(rs, E2ePhase.Result::rate));
        m.put("e2e_p50_ms", e2eStat(rs, e -> e.latency().p50Ms()));
        m.put("e2e_p99_ms", e2eStat(rs, e -> e.latency().p99Ms()));
        m.put("e2e_p999_ms", e2eStat(rs, e -> e.latency().p999Ms()));
        m.put("e2e_detector_cpu_cores", e2eStat(rs, E2ePhase.Result::detectorCores));
        m.put("broadcast_fan_out_alone_devices_per_s", broadcastStat(rs, BroadcastPhase.Result::fanOutAlonePerSecond));
        m.put("broadcast_drain_devices_per_s", broadcastStat(rs, BroadcastPhase.Result::drainPerSecond));
        m.put("broadcast_fan_out_devices_per_s", broadcastStat(rs, BroadcastPhase.Result::fanOutPerSecond));
        m.put("broadcast_delivered_devices_per_s", broadcastStat(rs, BroadcastPhase.Result::deliveredPerSecond));
        m.put("broadcast_chat_p99_ms_without", broadcastStat(rs, b -> b.chatWithout().p99Ms()));
        m.put("broadcast_chat_p99_ms_during", broadcastStat(rs, b -> b.chatDuring().p99Ms()));
        m.put("broadcast_chat_p99_ratio", broadcastStat(rs, BroadcastPhase.Result::chatP99Ratio));
        m.put("broadcast_detector_rss_mb_before", broadcastStat(rs, b -> b.detectorRssBeforeKb() / 1024.0));
        m.put("broadcast_detector_rss_mb_during", broadcastStat(rs, b -> b.detectorMaxRssKb() / 1024.0));
        m.put("cluster_worker_jobs_per_s", clusterStat(rs, r -> r.w0c().preload().perSecond()));
        m.put("cluster_ratio", clusterStat(rs, r -> r.w0c().preload().perSecond() / r.w0().preload().perSecond()));
        m.put("cluster_p99_ms", clusterStat(rs, r -> r.w0c().paced().p99Ms()));
        m.put("cluster_worker_cpu_ms_per_1k_jobs", clusterStat(rs, r -> r.w0c().cpuMsPer1k()));
        m.put("detector_events_per_s", stat(rs, r -> r.detector() == null ? Double.NaN : r.detector().eventsPerSecond()));
        m.put("detector_ack_mix_events_per_s", stat(rs, r -> r.detectorAcks() == null ? Double.NaN
                : r.detectorAcks().eventsPerSecond()));
        m.put("detector_ack_mix_ack_share", stat(rs, r -> r.detectorAcks() == null ? Double.NaN
                : (double) r.detectorAcks().acks() / r.detectorAcks().events()));

        String[][] rows = {
            {"worker jobs/s, vendor 0 ms", "worker_jobs_per_s", "%,.0f", ""},
            {"raw Pushy limit/s, 0 ms", "limit_jobs_per_s", "%,.0f", ""},
            {"ratio worker / limit", "ratio", "%.2f", "target >= 0.70, every run"},
            {"vendor sends/s (worker, 0 ms)", "vendor_sends_per_s", "%,.0f", ""},
            {"worker jobs/s, vendor " + latencyMs + " ms", "worker_jobs_per_s_100ms", "%,.0f", ""},
            {"raw Pushy limit/s, " + latencyMs + " ms", "limit_jobs_per_s_100ms", "%,.0f", ""},
            {"ratio " + latencyMs + " ms / 0 ms (worker)", "latency_ratio_100ms", "%.2f", "target >= 0.80"},
            {"half-rate load, jobs/s", "paced_jobs_per_s", "%,.0f", ""},
            {"  worker CPU cores at half rate", "paced_worker_cpu_cores", "%.2f", ""},
            {"  job -> vendor p50 ms", "p50_ms", "%.1f", ""},
            {"  job -> vendor p95 ms", "p95_ms", "%.1f", ""},
            {"  job -> vendor p99 ms", "p99_ms", "%.1f", "target <= 50, every run"},
            {"knee: highest load with p99 <= 50 ms", "knee_jobs_per_s", "%,.0f", "goal: 75 % of the max"},
            {"preloaded backlog p99 ms (queueing)", "preload_p99_ms", "%,.0f", ""},
            {"worker CPU cores (0 ms, delivering)", "worker_cpu_cores", "%.2f", "of " + Runtime.getRuntime().availableProcessors()},
            {"worker CPU ms per 1,000 jobs", "worker_cpu_ms_per_1k_jobs", "%.0f", ""},
            {"worker peak RSS MB (timed phases)", "peak_rss_mb", "%.0f", "target <= 320"},
            {"  with the JIT warm-up", "peak_rss_mb_with_warmup", "%.0f", ""},
            {"event -> vendor: IM messages/s", "e2e_messages_per_s", "%,.0f", Math.round(100 * e2eOnline)
                + " % online, detector commit " + (e2eCommitMs.isEmpty() ? "" : e2eCommitMs.getFirst()) + " ms"},
            {"  event -> vendor p50 ms", "e2e_p50_ms", "%.1f", ""},
            {"  event -> vendor p99 ms", "e2e_p99_ms", "%.1f", "target <= 250"},
            {"  event -> vendor p99.9 ms", "e2e_p999_ms", "%.1f", ""},
            {"  detector CPU cores meanwhile", "e2e_detector_cpu_cores", "%.2f", ""},
            {"broadcast to " + String.format(Locale.ROOT, "%,d", broadcastDevices) + " devices: fan-out/s, detector alone",
                "broadcast_fan_out_alone_devices_per_s", "%,.0f", "target >= 50,000"},
            {"  worker drains devices/s", "broadcast_drain_devices_per_s", "%,.0f", ""},
            {"  at " + String.format(Locale.ROOT, "%,d", broadcastRate) + "/s beside chat: fan-out/s",
                "broadcast_fan_out_devices_per_s", "%,.0f", ""},
            {"  delivered devices/s (to the vendor)", "broadcast_delivered_devices_per_s", "%,.0f", ""},
            {"  chat p99 ms without a broadcast", "broadcast_chat_p99_ms_without", "%.1f", ""},
            {"  chat p99 ms during the broadcast", "broadcast_chat_p99_ms_during", "%.1f", ""},
            {"  ratio during / without", "broadcast_chat_p99_ratio", "%.2f", "target <= 1.5"},
            {"  detector RSS MB with the devices loaded", "broadcast_detector_rss_mb_before", "%.0f", ""},
            {"  detector RSS MB at most, during", "broadcast_detector_rss_mb_during", "%.0f", "bounded"},
            {"worker jobs/s, Redis Cluster (0 ms)", "cluster_worker_jobs_per_s", "%,.0f", ""},
            {"  ratio Redis Cluster / one redis-server", "cluster_ratio", "%.2f", "target >= 0.90"},
            {"  job -> vendor p99 ms at half rate", "cluster_p99_ms", "%.1f", ""},
            {"  worker CPU ms per 1,000 jobs", "cluster_worker_cpu_ms_per_1k_jobs", "%.0f", ""},
            {"detector events/s, " + Math.round(100 * offlineRatio) + " % offline", "detector_events_per_s", "%,.0f",
                "target >= 50,000"},
            {"detector events/s, ack mix " + Math.round(100 * ackMix) + " % online", "detector_ack_mix_events_per_s", "%,.0f",
                "target >= 80,000"},
            {"  share of routed + acked in its input", "detector_ack_mix_ack_share", "%.2f", ""},
        };
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "%nimpush bench: %,d jobs, %d run(s), %d APNs connections, window %d, %.0f s%n",
                jobs, rs.size(), connections, window, seconds));
        t.append(String.format(Locale.ROOT, "%-38s %12s   %-23s %s%n", "", "median", "min - max", ""));
        for (String[] row : rows) {
            Stat s = m.get(row[1]);
            if (Double.isNaN(s.median())) {
                continue;
            }
            t.append(String.format(Locale.ROOT, "%-38s %12s   %-23s %s%n", row[0], String.format(Locale.ROOT, row[2], s.median()),
                    String.format(Locale.ROOT, row[2], s.min()) + " - " + String.format(Locale.ROOT, row[2], s.max()), row[3]));
        }
        List<CurvePoint> curve = curve(rs);
        if (!curve.isEmpty()) {
            t.append(String.format(Locale.ROOT, "%nlatency-throughput curve (open loop, from each job's due time; medians of runs):%n"));
            t.append(String.format(Locale.ROOT, "  %5s %9s %8s %8s %19s %9s%n", "load", "jobs/s", "p50 ms", "p99 ms",
                    "p99 min - max", "p99.9 ms"));
            for (CurvePoint c : curve) {
                t.append(String.format(Locale.ROOT, "  %4.0f%% %,9.0f %8.1f %8.1f %19s %9.1f%n", c.load() * 100, c.rate(),
                        c.p50(), c.p99().median(), String.format(Locale.ROOT, "%.1f - %.1f", c.p99().min(), c.p99().max()),
                        c.p999()));
            }
        }

        ObjectNode root = Json.mapper().createObjectNode();
        m.forEach((k, s) -> root.put(k, round(s.median())));
        ObjectNode ranges = root.putObject("min_max");
        m.forEach((k, s) -> ranges.putArray(k).add(round(s.min())).add(round(s.max())));
        ArrayNode curveNode = root.putArray("curve");
        curve.forEach(c -> curveNode.addObject().put("load", c.load()).put("jobs_per_s", round(c.rate()))
                .put("p50_ms", round(c.p50())).put("p99_ms", round(c.p99().median())).put("p999_ms", round(c.p999()))
                .put("p99_ms_min", round(c.p99().min())).put("p99_ms_max", round(c.p99().max())));
        List<Run> withChannels = rs.stream().filter(r -> r.channels() != null).toList();
        ArrayNode channelsNode = root.putArray("channels");
        if (!withChannels.isEmpty()) {
            t.append(String.format(Locale.ROOT, "%nchannels alone, worker vs the channel's own client on the same mock (medians):%n"));
            t.append(String.format(Locale.ROOT, "  %-8s %10s %12s %6s %17s %12s%n", "channel", "worker/s", "client/s", "ratio",
                    "ratio min - max", "CPU ms/1k"));
            for (int j = 0; j < withChannels.getFirst().channels().channels().size(); j++) {
                int at = j;
                java.util.function.Function<java.util.function.ToDoubleFunction<ChannelsPhase.ChannelResult>, Stat> over =
                        f -> stat(withChannels, r -> f.applyAsDouble(r.channels().channels().get(at)));
                Stat ratio = over.apply(ChannelsPhase.ChannelResult::ratio);
                String name = withChannels.getFirst().channels().channels().get(j).channel().wireName();
                double worker = over.apply(ChannelsPhase.ChannelResult::workerPerSecond).median();
                double client = over.apply(ChannelsPhase.ChannelResult::limitPerSecond).median();
                double cpu = over.apply(ChannelsPhase.ChannelResult::workerCpuMsPer1k).median();
                t.append(String.format(Locale.ROOT, "  %-8s %,10.0f %,12.0f %6.2f %17s %12.0f%n", name, worker, client,
                        ratio.median(), String.format(Locale.ROOT, "%.2f - %.2f", ratio.min(), ratio.max()), cpu));
                channelsNode.addObject().put("channel", name).put("worker_jobs_per_s", round(worker))
                        .put("client_jobs_per_s", round(client)).put("ratio", round(ratio.median()))
                        .put("ratio_min", round(ratio.min())).put("ratio_max", round(ratio.max()))
                        .put("worker_cpu_ms_per_1k_jobs", round(cpu));
            }
            Stat mix = stat(withChannels, r -> r.channels().mixedPerSecond());
            t.append(String.format(Locale.ROOT, "  mixed    %,10.0f jobs/s (%,.0f - %,.0f)%n", mix.median(), mix.min(), mix.max()));
            root.put("channels_mixed_jobs_per_s", round(mix.median()));
        }
        System.out.print(t);
        ArrayNode e2eNode = root.putArray("e2e");
        for (int j = 0; !rs.isEmpty() && rs.getFirst().w0() != null && j < rs.getFirst().w0().e2e().size(); j++) {
            int at = j;
            java.util.function.Function<java.util.function.ToDoubleFunction<E2ePhase.Result>, Stat> over =
                    f -> stat(rs, r -> r.w0() == null ? Double.NaN : f.applyAsDouble(r.w0().e2e().get(at)));
            Stat p99 = over.apply(e -> e.latency().p99Ms());
            e2eNode.addObject().put("commit_ms", rs.getFirst().w0().e2e().get(j).commitMs())
                    .put("messages_per_s", round(over.apply(E2ePhase.Result::rate).median()))
                    .put("p50_ms", round(over.apply(e -> e.latency().p50Ms()).median()))
                    .put("p99_ms", round(p99.median())).put("p99_ms_min", round(p99.min())).put("p99_ms_max", round(p99.max()))
                    .put("p999_ms", round(over.apply(e -> e.latency().p999Ms()).median()))
                    .put("detector_cpu_cores", round(over.apply(E2ePhase.Result::detectorCores).median()));
        }
        ArrayNode p99Runs = root.putArray("p99_ms_runs");
        rs.stream().filter(r -> r.w0() != null).forEach(r -> p99Runs.add(round(r.w0().paced().p99Ms())));
        ObjectNode params = root.putObject("params");
        params.put("jobs", jobs).put("warmup", warmup).put("runs", rs.size()).put("latency_ms", latencyMs).put("connections", connections)
                .put("window", window).put("max_streams", maxStreams).put("partitions", partitions)
                .put("paced_seconds", pacedSeconds).put("curve_loads", curveLoads.toString()).put("linger_ms", lingerMs).put("worker_heap", workerHeap).put("harness_gc", harnessGc())
                .put("detector_devices", detectorDevices).put("detector_messages", detectorMessages)
                .put("offline_ratio", offlineRatio).put("ack_mix_online", ackMix).put("detector_threads", detectorThreads)
                .put("detector_commit_ms", detectorCommitMs).put("detector_partitioner", detectorPartitioner)
                .put("e2e_rate", e2eRate).put("e2e_seconds", e2eSeconds).put("e2e_devices", e2eDevices)
                .put("e2e_online", e2eOnline).put("e2e_commit_ms", e2eCommitMs.toString())
                .put("redis_cluster", redisCluster)
                .put("cores", Runtime.getRuntime().availableProcessors()).put("finished_at", Instant.now().toString())
                .put("seconds", round(seconds));
        workerEnv.forEach((k, v) -> params.put("worker_env." + k, v));
        detectorEnv.forEach((k, v) -> params.put("detector_env." + k, v));
        if (!workerJavaOpts.isEmpty()) {
            params.put("worker_java_opts", String.join(" ", workerJavaOpts));
        }
        ArrayNode runsNode = root.putArray("runs");
        for (Run r : rs) {
            ObjectNode o = runsNode.addObject();
            if (r.w0() != null) {
                o.put("worker_jobs_per_s", round(r.w0().preload().perSecond())).put("limit_jobs_per_s", round(r.limit0().perSecond()))
                        .put("worker_jobs_per_s_100ms", round(r.wL().preload().perSecond()))
                        .put("limit_jobs_per_s_100ms", round(r.limitL().perSecond()))
                        .put("p50_ms", round(r.w0().paced().p50Ms())).put("p95_ms", round(r.w0().paced().p95Ms()))
                        .put("p99_ms", round(r.w0().paced().p99Ms())).put("max_ms", round(r.w0().paced().maxMs()))
                        .put("worker_cpu_cores", round(r.w0().cores())).put("peak_rss_mb_0ms", r.w0().peakRssKb() / 1024)
                        .put("peak_rss_mb_100ms", r.wL().peakRssKb() / 1024)
                        .put("delivered", r.w0().preload().arrived()).put("vendor_requests", r.w0().preload().requests());
                ArrayNode steps = o.putArray("curve");
                r.w0().curve().forEach(s -> steps.addObject().put("load", s.load()).put("jobs_per_s", round(s.rate()))
                        .put("p50_ms", round(s.latency().p50Ms())).put("p99_ms", round(s.latency().p99Ms()))
                        .put("p999_ms", round(s.latency().p999Ms())));
                ArrayNode e2eRuns = o.putArray("e2e");
                r.w0().e2e().forEach(e -> e2eRuns.addObject().put("commit_ms", e.commitMs()).put("messages", e.messages())
                        .put("events", e.events()).put("pushed", e.latency().arrived())
                        .put("p50_ms", round(e.latency().p50Ms())).put("p99_ms", round(e.latency().p99Ms()))
                        .put("p999_ms", round(e.latency().p999Ms())).put("detector_cpu_cores", round(e.detectorCores())));
                ObjectNode ts = o.putObject("per_second");
                ts.set("worker_0ms", perSecond(r.w0().preload().per100ms()));
                ts.set("worker_100ms", perSecond(r.wL().preload().per100ms()));
                ts.set("limit_0ms", perSecond(r.limit0().per100ms()));
            }
            if (r.w0c() != null) {
                o.put("cluster_worker_jobs_per_s", round(r.w0c().preload().perSecond()))
                        .put("cluster_p99_ms", round(r.w0c().paced().p99Ms()));
            }
            if (r.detector() != null) {
                o.put("detector_events_per_s", round(r.detector().eventsPerSecond())).put("detector_events", r.detector().events())
                        .put("detector_jobs", r.detector().jobs());
            }
            if (r.detectorAcks() != null) {
                o.put("detector_ack_mix_events_per_s", round(r.detectorAcks().eventsPerSecond()))
                        .put("detector_ack_mix_events", r.detectorAcks().events())
                        .put("detector_ack_mix_acks", r.detectorAcks().acks())
                        .put("detector_ack_mix_jobs", r.detectorAcks().jobs());
            }
        }
        Files.writeString(out.resolve("latest.json"), Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        if (rs.isEmpty() || rs.get(0).w0() == null) {
            System.out.printf("%nresults: %s%n", out.resolve("latest.json"));
            return;
        }
        Run last = rs.get(rs.size() - 1);
        List<Svg.Series> series = List.of(
                new Svg.Series("raw Pushy limit, 0 ms", "#999999", last.limit0().per100ms()),
                new Svg.Series("worker, vendor 0 ms", "#08519c", last.w0().preload().per100ms()),
                new Svg.Series("worker, vendor " + latencyMs + " ms", "#d94801", last.wL().preload().per100ms()),
                new Svg.Series("raw Pushy limit, " + latencyMs + " ms", "#fdae6b", last.limitL().per100ms()));
        List<Svg.Percentiles> lat = new ArrayList<>();
        for (int i = 0; i < rs.size(); i++) {
            Arrivals.Summary p = rs.get(i).w0().paced();
            lat.add(new Svg.Percentiles("run " + (i + 1) + " (" + String.format(Locale.ROOT, "%,.0f", rs.get(i).w0().pacedRate()) + "/s)",
                    p.p50Ms(), p.p95Ms(), p.p99Ms()));
        }
        Files.writeString(out.resolve("latest.svg"), Svg.render(String.format(Locale.ROOT,
                "impush bench, last of %d run(s): %,d jobs, ratio %.2f, p99 at half rate %.1f ms", rs.size(), jobs,
                m.get("ratio").median(), m.get("p99_ms").median()), series, lat,
                curve.stream().map(c -> new Svg.CurvePoint(c.load(), c.rate(), c.p50(), c.p99().median(), c.p99().min(),
                        c.p99().max())).toList(), m.get("knee_jobs_per_s").median()));
        System.out.printf("%nresults: %s, chart: %s%n", out.resolve("latest.json"), out.resolve("latest.svg"));
    }

    private static ArrayNode perSecond(int[] per100ms) {
        ArrayNode a = Json.mapper().createArrayNode();
        for (int i = 0; i < per100ms.length; i += 10) {
            a.add(Arrays.stream(per100ms, i, Math.min(per100ms.length, i + 10)).sum());
        }
        return a;
    }

    private static double round(double v) {
        return Double.isNaN(v) ? 0 : Math.round(v * 100) / 100.0;
    }
}
