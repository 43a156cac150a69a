package dev.impush.bench;

import dev.impush.e2e.MockVendors;
import dev.impush.localstack.kafka.KafkaTopics;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.codec.Json;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.Channels;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.VendorApp;
import dev.impush.worker.channel.SendOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code --channels}: every vendor channel against the mocks the quickstart runs ({@link MockVendors}:
 * each checks its vendor's auth and signature). Per channel, a worker (its own JVM, all eight
 * channels configured) drains a backlog of that channel's jobs, and the channel's own client (the
 * same {@link PushChannel} class and HTTP client, built from the same settings in this JVM) sends the
 * same deliveries straight to the same mock with {@code window} in flight: its limit. Then a mixed
 * backlog with the quickstart's shares (half APNs, the rest spread over FCM and the six China vendors).
 */
final class ChannelsPhase implements AutoCloseable {
    private static final String PREFIX = "ch-";

    /** One channel: the worker's rate, its client's limit, and the worker's CPU per 1,000 jobs. */
    record ChannelResult(Channel channel, double workerPerSecond, double limitPerSecond, double workerCpuMsPer1k) {
        double ratio() {
            return workerPerSecond / limitPerSecond;
        }
    }

    /** A run: each channel alone, then the mixed backlog's jobs/s. */
    record Result(List<ChannelResult> channels, double mixedPerSecond) {}

    private final MockVendors vendors;
    private final Map<Channel, List<Population.Device>> devices;
    private final List<Population.Device> mixed;
    private final Channels clients;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final MeasuredJvm worker;
    private final int window;
    private final Runnable reset;

    private ChannelsPhase(MockVendors vendors, Population population, Channels clients,
                          KafkaProducer<byte[], byte[]> producer, String topic, MeasuredJvm worker, int window, Runnable reset) {
        this.vendors = vendors;
        this.mixed = population.devices();
        this.devices = mixed.stream().collect(Collectors.groupingBy(Population.Device::channel,
                () -> new EnumMap<>(Channel.class), Collectors.toList()));
        this.clients = clients;
        this.producer = producer;
        this.topic = topic;
        this.worker = worker;
        this.window = window;
        this.reset = reset;
    }

    /**
     * Starts the mocks with {@code users} users' devices (about 1.5 per user) registered and valid, and a
     * worker JVM on {@code redisUri} with every channel pointed at its mock.
     *
     * @param reset run before each timed phase (the dedupe store emptied, this JVM's garbage collected)
     */
    static ChannelsPhase start(String bootstrap, String redisUri, int partitions, int users, int window, String heap,
                               Map<String, String> workerEnv, Path jfrFile, Runnable reset) throws Exception {
        String topic = "bench.channels.jobs";
        String bulk = "bench.channels.bulk";
        KafkaTopics.createAndAwait(bootstrap, Map.of(topic, partitions, bulk, partitions), List.of());
        MockVendors vendors = MockVendors.start(Clock.systemUTC());
        Population population = Population.generate(users, 1.0, 0.5, 0.0, 17).withWebClients(10, vendors::subscribe);
        Instant never = Instant.now().plusSeconds(365L * 24 * 3600);
        population.devices().forEach(d -> vendors.register(d, never));
        for (Channel c : Channel.values()) {
            vendors.ledger(c).listen((channel, messageId, deviceId) -> Arrivals.record(messageId));
        }
        Map<String, String> env = new HashMap<>(vendors.workerEnv());
        env.put("IMPUSH_KAFKA_BOOTSTRAP", bootstrap);
        env.put("IMPUSH_REDIS_URI", redisUri);
        env.put("IMPUSH_TOPIC_JOBS", topic);
        env.put("IMPUSH_TOPIC_JOBS_BULK", bulk);
        env.put("IMPUSH_WORKER_GROUP", "bench-channels");
        env.put("IMPUSH_WORKER_INSTANCE_ID", "bench-channels");
        env.put("IMPUSH_WORKER_DRAIN_TIMEOUT_MS", "2000");
        env.put("IMPUSH_OPS_PORT", "0");
        env.put("IMPUSH_LOG_LEVEL", "WARN");
        env.putAll(workerEnv);
        Channels clients = Channels.fromEnv(Env.of(vendors.workerEnv()), Clock.systemUTC());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
        MeasuredJvm worker = MeasuredJvm.start(env, heap, List.of(), jfrFile);
        return new ChannelsPhase(vendors, population, clients, producer, topic, worker, window, reset);
    }

    /** Compiler time of the worker JVM so far, ms. */
    long workerCompileMillis() {
        return worker.compileMillis();
    }

    /** A mixed backlog of {@code n} jobs through the worker (a warm-up round); its jobs/s. */
    double mixedRound(String tag, int n, long timeoutMs) throws Exception {
        return throughWorker(tag, mixed, n, timeoutMs).perSecond();
    }

    /** Warms each channel's own client in this JVM with one round of {@code n} sends. */
    void warmClients(int n, long timeoutMs) throws Exception {
        for (Channel c : devices.keySet()) {
            direct("cw-" + c.wireName() + "-", c, n, timeoutMs);
        }
    }

    /** One run: every channel alone ({@code n} jobs through the worker, then straight), then the mix. */
    Result run(int run, int n, long timeoutMs) throws Exception {
        List<ChannelResult> results = new ArrayList<>();
        for (Channel c : devices.keySet()) {
            Arrivals.Summary limit = direct("r" + run + "l-" + c.wireName() + "-", c, n, timeoutMs);
            Arrivals.Summary w = throughWorker("r" + run + "w-" + c.wireName(), devices.get(c), n, timeoutMs);
            double cpu = worker.cpuSecondsBetween(w.firstNanos(), w.lastNanos()) * 1e6 / Math.max(1, w.arrived());
            results.add(new ChannelResult(c, w.perSecond(), limit.perSecond(), cpu));
        }
        double mix = throughWorker("r" + run + "mix", mixed, n, timeoutMs).perSecond();
        return new Result(results, mix);
    }

    /** {@code n} jobs to {@code targets} (round-robin) preloaded with the worker stopped, then drained. */
    private Arrivals.Summary throughWorker(String tag, List<Population.Device> targets, int n, long timeoutMs)
            throws Exception {
        String prefix = PREFIX + tag + "-";
        Arrivals arrivals = new Arrivals(prefix, n);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(n);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            Population.Device d = targets.get(i % targets.size());
            records.add(new ProducerRecord<>(topic, d.userId().getBytes(StandardCharsets.UTF_8), Json.write(job(prefix + i, d,
                    now))));
        }
        worker.whileSuspended(() -> {
            reset.run();
            clearLedgers();
            Arrivals.CURRENT.set(arrivals);
            records.forEach(producer::send);
            producer.flush();
            Arrays.fill(arrivals.produced, System.nanoTime());
        });
        if (!arrivals.await(timeoutMs)) {
            System.out.printf("  channels %s: only %,d of %,d delivered in time (worker log %s)%n", tag, arrivals.count(), n,
                    worker.log());
        }
        return arrivals.summary();
    }

    /** {@code n} deliveries sent by channel {@code c}'s own client straight to its mock, {@link #window} at a time. */
    private Arrivals.Summary direct(String prefix, Channel c, int n, long timeoutMs) throws Exception {
        PushChannel client = clients.all().get(VendorApp.shared(c));
        List<Population.Device> targets = devices.get(c);
        List<Delivery> deliveries = new ArrayList<>(n);
        Instant now = Instant.now();
        for (int i = 0; i < n; i++) {
            Population.Device d = targets.get(i % targets.size());
            PushJob job = job(prefix + i, d, now);
            deliveries.add(new Delivery(job, job.targets().getFirst()));
        }
        Arrivals arrivals = new Arrivals(prefix, n);
        reset.run();
        clearLedgers();
        Arrivals.CURRENT.set(arrivals);
        Semaphore inFlight = new Semaphore(window);
        LongAdder failed = new LongAdder();
        AtomicReference<Object> firstFailure = new AtomicReference<>();
        long t0 = System.nanoTime();
        Arrays.fill(arrivals.produced, t0);
        for (Delivery d : deliveries) {
            inFlight.acquire();
            client.send(d).whenComplete((outcome, error) -> {
                if (error != null || !(outcome instanceof SendOutcome.Delivered)) {
                    failed.increment();
                    firstFailure.compareAndSet(null, error != null ? error : outcome);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(window);
        inFlight.release(window);
        if (failed.sum() > 0 || !arrivals.await(timeoutMs)) {
            System.out.printf("  %s client: %,d of %,d failed (first: %s), %,d arrived%n", c.wireName(), failed.sum(), n,
                    firstFailure.get(), arrivals.count());
        }
        return arrivals.summary();
    }

    private static PushJob job(String messageId, Population.Device d, Instant now) {
        return Bench.chatJob(messageId, d.userId(), new PushTarget(d.deviceId(), d.channel(), d.token(), d.appId(), false),
                "hello", now);
    }

    private void clearLedgers() {
        for (Channel c : Channel.values()) {
            vendors.ledger(c).clear();
        }
    }

    @Override
    public void close() throws Exception {
        try (vendors; producer; worker) {
            clients.close();
            worker.terminate();
        }
    }
}
