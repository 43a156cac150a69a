package dev.impush.worker;

import dev.impush.model.Channel;
import dev.impush.model.Lane;
import dev.impush.runtime.kafka.TopicCheck;
import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.broadcast.BroadcastTally;
import dev.impush.worker.channel.Channels;
import dev.impush.worker.channel.VendorApp;
import dev.impush.worker.consumer.WorkerLoop;
import dev.impush.worker.dedupe.DedupeStore;
import dev.impush.worker.dedupe.EvictionPolicyCheck;
import dev.impush.worker.dispatch.ChannelResilience;
import dev.impush.worker.dispatch.Dispatcher;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.pipeline.JobPipeline;
import dev.impush.worker.publish.OutcomePublisher;
import dev.impush.worker.quota.QuotaGate;
import dev.impush.worker.quota.QuotaLimits;
import dev.impush.worker.receipt.BookedChannel;
import dev.impush.worker.receipt.ReceiptBook;
import dev.impush.worker.receipt.ReceiptServer;
import dev.impush.worker.receipt.ReceiptSettings;
import dev.impush.worker.retry.RetryRouter;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One push-worker replica: consumes push jobs, dedupes them in Redis and sends them through the
 * vendor channels. Lifecycle: {@link #start} returns a running worker; {@link #close()} stops
 * polling, lets in-flight sends finish (up to the drain timeout), commits, and releases every
 * client, returning when all is released. Thread-safe.
 */
public final class PushWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushWorker.class);
    private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(30);
    /** How long a broadcast's counts outlive its last delivery: the detector remembers it as long. */
    private static final Duration BROADCAST_TALLY_TTL = Duration.ofDays(8);

    private final WorkerLoop loop;
    private final Thread pollThread;
    private final RedisLink redis;
    private final DedupeStore dedupe;
    private final Dispatcher dispatcher;
    private final QuotaGate quota;
    private final RedisLink.Session tallySession;
    private final BroadcastTally tally;
    private final OutcomePublisher publisher;
    private final ScheduledExecutorService scheduler;
    private final ReceiptBook receiptBook;
    private final ReceiptServer receiptServer;
    private final String workerId;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    private PushWorker(WorkerConfig config, Channels channels, MeterRegistry meters, Clock clock,
                       List<String> formerTiers) {
        // Unique per process start: a claim left by a crashed incarnation is never mistaken for ours.
        this.workerId = config.instanceId() + "/" + UUID.randomUUID().toString().substring(0, 8);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "impush-worker-timer");
            t.setDaemon(true);
            return t;
        });
        WorkerMetrics metrics = new WorkerMetrics(meters);
        metrics.expect(Stream.of(Lane.values()).flatMap(l -> config.lanes().tiers(l).topics().stream()).toList(),
                channels.all().keySet().stream().map(VendorApp::channel).distinct().toList(), RetryRouter.WAITS);
        try {
            this.redis = config.redis().open(o -> o
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(config.redisTimeout())), config.redisTimeout());
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
        LOG.info("dedupe and quotas on Redis {}", redis);
        this.dedupe = new DedupeStore(redis, workerId, config.dedupeLease(), config.dedupeSentTtl(),
                config.redisTimeout(), clock, config.dedupeLegacyMarks());
        EvictionPolicyCheck.warnIfEvicting(redis, config.redisTimeout());
        Map<VendorApp, QuotaLimits> quotas = new LinkedHashMap<>(config.quotas());
        quotas.keySet().retainAll(channels.all().keySet());
        this.quota = new QuotaGate(redis, quotas, scheduler, clock);
        quota.bindTo(meters);
        ReceiptSettings receipts = config.receipts().orElse(null);
        this.receiptBook = receipts == null ? null : new ReceiptBook(redis, receipts.ttl(), config.redisTimeout());
        this.dispatcher = new Dispatcher(receiptBook == null ? channels : channels.wrapped((key, ch) ->
                        ReceiptSettings.CHANNELS.contains(key.channel()) ? new BookedChannel(ch, receiptBook) : ch),
                new ChannelResilience(config.resilience(), meters), quota, scheduler, metrics, clock);
        try {
            this.receiptServer = receipts == null ? null
                    : ReceiptServer.start(receipts, receiptBook, config.kafka(), config.instanceId(), meters, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("receipt port " + receipts.port() + " not opened", e);
        }
        this.publisher = new OutcomePublisher(config.kafka(), config.instanceId(), config.feedbackTopic(),
                config.dlqTopic());
        this.tallySession = redis.connect();
        this.tally = BroadcastTally.onRedis(tallySession.commands(), BROADCAST_TALLY_TTL);
        scheduler.scheduleWithFixedDelay(tally::flush, 1, 1, TimeUnit.SECONDS);
        JobPipeline pipeline = new JobPipeline(dedupe, dispatcher, publisher, metrics, clock, new JobPipeline.Settings(
                workerId, config.lanes(), config.redisBackoff(), config.maxJobBytes(), tally));
        this.loop = WorkerLoop.create(config, formerTiers, pipeline, dispatcher, clock);
        metrics.gaugeInFlight(pipeline::inFlight);
        metrics.gaugeDeliveriesInFlight(pipeline::deliveriesInFlight);
        metrics.gaugeParkedAge(loop::oldestParkedAge);
        loop.topics().forEach(topic -> metrics.gaugeUnfinishedAge(topic, () -> loop.oldestUnfinishedAge(topic)));
        this.pollThread = new Thread(() -> {
            try {
                loop.run();
                terminated.complete(null);
            } catch (Throwable t) {
                terminated.completeExceptionally(t);
            }
        }, "impush-poll");
    }

    /** The topics a worker with {@code channels} reads or writes: it refuses to start while one is missing. */
    public static List<String> requiredTopics(WorkerConfig config, Set<Channel> channels) {
        List<String> topics = new ArrayList<>(List.of(config.feedbackTopic(), config.dlqTopic()));
        config.receipts().ifPresent(r -> topics.add(r.topic()));
        topics.addAll(config.lanes().topics(channels));
        return topics;
    }

    /**
     * Starts a worker with the given channels (one per vendor app it can send with).
     *
     * @throws dev.impush.runtime.ConfigException when a topic it reads or writes does not exist
     */
    public static PushWorker start(WorkerConfig config, Channels channels, MeterRegistry meters, Clock clock) {
        TopicCheck.requireTopics(config.kafka(), requiredTopics(config, channels.vendors()), TOPIC_CHECK_TIMEOUT,
                "deploy/create-topics.sh creates the jobs, feedback, dead-letter and retry-tier topics");
        List<String> formerTiers = config.lanes().formerTiers(
                TopicCheck.existing(config.kafka(), Pattern.compile(".*"), TOPIC_CHECK_TIMEOUT));
        if (!formerTiers.isEmpty()) {
            LOG.info("also reading {}: retry tiers of an earlier IMPUSH_RETRY_TIERS, until they are empty", formerTiers);
        }
        PushWorker w = new PushWorker(config, channels, meters, clock, formerTiers);
        w.pollThread.start();
        LOG.info("push worker {} started: channels {}", w.workerId, channels.all().keySet());
        return w;
    }

    public String workerId() {
        return workerId;
    }

    /** Completes when the poll loop has ended: normally after {@link #close()}, exceptionally if it died. */
    public CompletableFuture<Void> terminated() {
        return terminated;
    }

    /** Polling and not stopping. */
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public void close() {
        loop.stop();
        try {
            pollThread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (receiptServer != null) {
            receiptServer.close();
        }
        publisher.close();
        dispatcher.close();
        if (receiptBook != null) {
            receiptBook.close();
        }
        quota.close();
        tally.flush();
        tallySession.close();
        dedupe.close();
        redis.close();
        scheduler.shutdownNow();
        LOG.info("push worker {} stopped", workerId);
    }
}
