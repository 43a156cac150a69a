package dev.impush.worker.consumer;

import dev.impush.model.Channel;
import dev.impush.model.job.JobHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of the worker: polls, hands records to the {@link JobPipeline}, keeps the
 * group membership alive while applying backpressure ({@code pause()} when the in-flight bound
 * is reached or Redis is away, {@code resume()} when it drains), and commits, per partition, the
 * highest offset below which every record is finished: asynchronously every commit interval,
 * synchronously on revocation and shutdown.
 *
 * <p>Retry-tier and parking partitions are delayed: when the head record of such a partition is not
 * due yet (its {@code impush-due-at} header), the loop seeks back to it and pauses that partition
 * until then. No thread sleeps and nothing spins; the rest of the assignment keeps flowing. A parked
 * record that waits for its channel's breaker ({@code impush-release-on: recovery}) is due at once
 * when the channel recovered after it was written.
 *
 * <p>Runs on one thread ({@link #run()}); {@link #stop()} may be called from any thread.
 */
final class PollLoop implements Runnable, ConsumerRebalanceListener {
    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);

    /** Poll timeout while answers are expected: short, so completions are handled promptly. */
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(100);
    /** Publications failing this long turn the replica unready. */
    static final Duration PUBLISH_FAILING_UNREADY = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final Predicate<String> delayed;
    /** Delayed partitions paused at a head record not due yet. */
    private final Map<TopicPartition, Waiting> dueAt = new HashMap<>();
    /** Epoch ms the oldest parked head record was written, for the age gauge; MAX_VALUE when none. */
    private volatile long oldestParkedWrittenAt = Long.MAX_VALUE;
    /** The channel of a parking topic, null for any other topic. */
    private final Function<String, Channel> parkedChannel;
    /** Epoch ms when a channel last recovered (its breaker closed again). */
    private final ToLongFunction<Channel> recoveredAt;

    private final JobPipeline pipeline;
    private final int maxInFlight;
    private final Duration commitInterval;
    private final Duration drainTimeout;
    private final Clock clock;
    private final Map<TopicPartition, PartitionOffsetTracker> trackers = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile boolean running;
    private boolean paused;
    /** Set by this process's first assignment; see {@link #onPartitionsAssigned}. */
    private boolean firstAssignment = true;
    private boolean rejoin;
    private long nextCommit;

    /**
     * A paused partition's head record: when it is due, and, when it waits for its channel's
     * recovery, that channel and when the record was written.
     */
    private record Waiting(long due, Channel untilRecoveryOf, long writtenAt) {
        boolean ready(long now, ToLongFunction<Channel> recoveredAt) {
            return due <= now || (untilRecoveryOf != null && recoveredAt.applyAsLong(untilRecoveryOf) > writtenAt);
        }
    }

    PollLoop(Consumer<byte[], byte[]> consumer, List<String> topics, Predicate<String> delayed,
             Function<String, Channel> parkedChannel,
             ToLongFunction<Channel> recoveredAt,
             PipelineFactory pipelines, int maxInFlight,
             Duration commitInterval, Duration drainTimeout, Clock clock) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.delayed = delayed;
        this.parkedChannel = parkedChannel;
        this.recoveredAt = recoveredAt;
        this.pipeline = pipelines.create(this::finished);
        this.maxInFlight = maxInFlight;
        this.commitInterval = commitInterval;
        this.drainTimeout = drainTimeout;
        this.clock = clock;
    }

    /** Builds the pipeline with the loop's completion callback. */
    interface PipelineFactory {
        JobPipeline create(java.util.function.Consumer<JobState> onFinished);
    }

    int inFlight() {
        return pipeline.inFlight();
    }

    int deliveriesInFlight() {
        return pipeline.deliveriesInFlight();
    }

    /**
     * Ready: polling, not stopping, and publications not failing for longer than
     * {@link #PUBLISH_FAILING_UNREADY} (a missing topic or a broker refusing writes would otherwise
     * leave a replica that reads but finishes nothing looking healthy).
     */
    boolean isRunning() {
        return running && !stopping && pipeline.publishFailingFor().compareTo(PUBLISH_FAILING_UNREADY) < 0;
    }

    @Override
    public void run() {
        running = true;
        try {
            consumer.subscribe(topics, this);
            while (!stopping) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(pipeline.inFlight() > 0 ? BUSY_POLL : IDLE_POLL);
                } catch (WakeupException e) {
                    continue;
                }
                if (rejoin) {
                    rejoin = false;
                    consumer.enforceRebalance("a new incarnation of a static member");
                }
                if (!records.isEmpty()) {
                    take(records);
                }
                pipeline.drain();
                flowControl();
                commitIfDue();
            }
            drainAndCommit();
        } catch (RuntimeException e) {
            LOG.error("poll loop failed", e);
            throw e;
        } finally {
            running = false;
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    /** Asks the loop to finish in-flight work, commit and leave. Returns at once. */
    void stop() {
        stopping = true;
        consumer.wakeup();
    }

    private void take(ConsumerRecords<byte[], byte[]> records) {
        List<JobPipeline.Intake> batch = new ArrayList<>(records.count());
        Map<TopicPartition, Long> first = new HashMap<>();
        long now = clock.millis();
        for (TopicPartition tp : records.partitions()) {
            PartitionOffsetTracker tracker = trackers.computeIfAbsent(tp, p -> new PartitionOffsetTracker());
            boolean tier = delayed.test(tp.topic());
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (tier) {
                    Waiting waiting = waiting(tp, r);
                    if (!waiting.ready(now, recoveredAt)) {
                        // Not due: rewind to it and pause this partition until it is.
                        consumer.seek(tp, r.offset());
                        consumer.pause(List.of(tp));
                        dueAt.put(tp, waiting);
                        break;
                    }
                }
                first.putIfAbsent(tp, r.offset());
                tracker.track(r.offset());
                batch.add(new JobPipeline.Intake(tracker, r));
            }
        }
        if (!pipeline.intake(batch)) {
            // No dedupe decision, no send: give the batch back to Kafka and wait for Redis.
            first.forEach((tp, offset) -> {
                PartitionOffsetTracker t = trackers.get(tp);
                if (t != null) {
                    t.rewindTo(offset);
                }
                consumer.seek(tp, offset);
            });
        }
    }

    private Waiting waiting(TopicPartition tp, ConsumerRecord<byte[], byte[]> r) {
        long due = JobHeaders.dueAt(r.headers()).map(java.time.Instant::toEpochMilli).orElse(0L);
        Channel channel = parkedChannel.apply(tp.topic());
        boolean untilRecovery = channel != null
                && JobHeaders.RELEASE_ON_RECOVERY.equals(JobHeaders.string(r.headers(), JobHeaders.RELEASE_ON));
        return new Waiting(due, untilRecovery ? channel : null, r.timestamp());
    }

    /** Seconds since the oldest parked record this loop waits at was written; 0 when none. Any thread. */
    double oldestParkedAge() {
        long oldest = oldestParkedWrittenAt;
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    private void finished(JobState state) {
        if (trackers.get(state.partition) == state.tracker) {
            state.tracker.complete(state.offset());
        }
    }

    /** What the in-flight bound counts: records, or their deliveries when a job goes to many devices. */
    private int load() {
        return Math.max(pipeline.inFlight(), pipeline.deliveriesInFlight());
    }

    private void flowControl() {
        boolean blocked = load() >= maxInFlight || pipeline.blockedOnDedupe();
        if (blocked) {
            // pause() again every loop: partitions assigned since are not paused yet.
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && load() <= maxInFlight / 2) {
            List<TopicPartition> resume = new ArrayList<>(consumer.paused());
            resume.removeAll(dueAt.keySet());
            consumer.resume(resume);
            paused = false;
        }
        if (!paused && !dueAt.isEmpty()) {
            long now = clock.millis();
            List<TopicPartition> due = new ArrayList<>();
            dueAt.entrySet().removeIf(e -> {
                if (e.getValue().ready(now, recoveredAt)) {
                    due.add(e.getKey());
                    return true;
                }
                return false;
            });
            consumer.resume(due);
        }
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, Waiting> e : dueAt.entrySet()) {
            if (parkedChannel.apply(e.getKey().topic()) != null) {
                oldest = Math.min(oldest, e.getValue().writtenAt());
            }
        }
        oldestParkedWrittenAt = oldest;
    }

    private void commitIfDue() {
        long now = clock.millis();
        if (now < nextCommit) {
            return;
        }
        nextCommit = now + commitInterval.toMillis();
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(trackers.keySet());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, e) -> {
                if (e != null) {
                    // Routine during a rebalance; the next commit (or the one on revoke) covers it.
                    LOG.debug("async commit failed: {}", e.toString());
                    return;
                }
                committed.forEach((tp, o) -> {
                    PartitionOffsetTracker t = trackers.get(tp);
                    if (t != null) {
                        t.committed(o.offset());
                    }
                });
            });
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionOffsetTracker t = trackers.get(tp);
            if (t != null) {
                OptionalLong o = t.committable();
                if (o.isPresent()) {
                    offsets.put(tp, new OffsetAndMetadata(o.getAsLong()));
                }
            }
        }
        return offsets;
    }

    private void commitSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            offsets.forEach((tp, o) -> trackers.get(tp).committed(o.offset()));
        } catch (RuntimeException e) {
            LOG.warn("commit of finished work failed: {}", e.toString());
        }
    }

    /** Lets in-flight work on {@code partitions} finish, for at most the drain timeout. */
    private void drain(Collection<TopicPartition> partitions) {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (unfinished(partitions) > 0 && System.nanoTime() < deadline) {
            pipeline.drain();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        pipeline.drain();
    }

    private int unfinished(Collection<TopicPartition> partitions) {
        int n = 0;
        for (TopicPartition tp : partitions) {
            PartitionOffsetTracker t = trackers.get(tp);
            n += t == null ? 0 : t.unfinishedCount();
        }
        return n;
    }

    private void drainAndCommit() {
        consumer.pause(consumer.assignment());
        drain(trackers.keySet());
        commitSync(trackers.keySet());
        LOG.info("poll loop stopped: {} records left unfinished", pipeline.inFlight());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> trackers.put(tp, new PartitionOffsetTracker()));
        LOG.info("assigned {}", partitions);
        if (firstAssignment) {
            // A static member that restarts gets its previous incarnation's assignment back without
            // a rebalance. If that incarnation died between the two rounds of a cooperative
            // rebalance, the partitions it had given up belong to nobody until the next one: ask for
            // it once (sticky, so nothing that is owned moves).
            firstAssignment = false;
            rejoin = true;
        }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        partitions.forEach(dueAt::remove);
        // Finish what we started so the next owner finds sent marks, not claims to wait out.
        drain(partitions);
        commitSync(partitions);
        partitions.forEach(trackers::remove);
        LOG.info("revoked {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        partitions.forEach(dueAt::remove);
        partitions.forEach(trackers::remove);
        LOG.warn("lost {}", partitions);
    }
}
