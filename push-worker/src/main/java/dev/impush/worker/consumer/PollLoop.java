package dev.impush.worker.consumer;

import dev.impush.model.Lane;
import dev.impush.worker.pipeline.JobPipeline;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side of the worker: polls, hands records to the {@link JobPipeline} ({@link Intake}), keeps the
 * group membership alive while applying backpressure ({@code pause()} when the in-flight bound
 * is reached or Redis is away, {@code resume()} when it drains), and commits, per partition, the
 * highest offset below which every record is finished: asynchronously every commit interval,
 * synchronously on revocation and shutdown. Delayed partitions wait at a record not due yet
 * ({@link DelayedPartitions}): no thread sleeps and nothing spins; the rest of the assignment keeps
 * flowing.
 *
 * <p>Lanes: the bulk lane gets only the capacity that chat leaves ({@link BulkYield}).
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

    /** How much work the loop takes on, and how it commits and stops. */
    record Limits(int maxInFlight, int bulkMaxInFlight, Duration bulkYieldAge, Duration commitInterval,
                  Duration drainTimeout) {}

    private final Consumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final DelayedPartitions delayed;
    private final JobPipeline pipeline;
    private final Limits limits;
    private final Clock clock;
    private final OffsetCommits offsets;
    private final BulkYield bulkYield;
    private final Intake intake;
    private volatile boolean stopping;
    private volatile boolean running;
    private boolean paused;
    /** Set by this process's first assignment; see {@link #onPartitionsAssigned}. */
    private boolean firstAssignment = true;
    private boolean rejoin;

    /** @param laneOf the lane of a topic's records */
    PollLoop(Consumer<byte[], byte[]> consumer, List<String> topics, DelayedPartitions delayed, JobPipeline pipeline,
             Function<String, Lane> laneOf, Limits limits, Clock clock) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.delayed = delayed;
        this.pipeline = pipeline;
        this.limits = limits;
        this.clock = clock;
        this.offsets = new OffsetCommits(consumer, limits.commitInterval());
        this.bulkYield = new BulkYield(consumer, laneOf, delayed, offsets, limits.bulkMaxInFlight(),
                limits.bulkYieldAge(), clock);
        this.intake = new Intake(consumer, delayed, offsets, bulkYield, pipeline);
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
                    records = consumer.poll(intake.releasable() ? Duration.ZERO
                            : pipeline.inFlight() > 0 ? BUSY_POLL : IDLE_POLL);
                } catch (WakeupException e) {
                    continue;
                }
                if (rejoin) {
                    rejoin = false;
                    consumer.enforceRebalance("a new incarnation of a static member");
                }
                if (!records.isEmpty()) {
                    bulkYield.taken(records);
                }
                intake.take(records, clock.millis());
                drainPipeline();
                flowControl();
                offsets.commitIfDue(clock.millis());
            }
            drainAndCommit();
        } catch (RuntimeException e) {
            LOG.error("poll loop failed", e);
            throw e;
        } finally {
            running = false;
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(10)));
        }
    }

    /** Asks the loop to finish in-flight work, commit and leave. Returns at once. */
    void stop() {
        stopping = true;
        consumer.wakeup();
    }

    private void drainPipeline() {
        offsets.finished(pipeline.drain());
    }

    /** Seconds since the oldest parked record this loop waits at was written; 0 when none. Any thread. */
    double oldestParkedAge() {
        return delayed.oldestParkedAge(clock.millis());
    }

    /** Seconds since the oldest record of {@code topic} not finished waits (see {@link OffsetCommits#measure}). Any thread. */
    double oldestUnfinishedAge(String topic) {
        return offsets.oldestUnfinishedAge(topic, clock.millis());
    }

    /** What the in-flight bound counts: records, or their deliveries when a job goes to many devices. */
    private int load() {
        return Math.max(pipeline.inFlight(), pipeline.deliveriesInFlight());
    }

    private void flowControl() {
        if (load() >= limits.maxInFlight() || pipeline.blockedOnDedupe()) {
            // pause() again every loop: partitions assigned since are not paused yet
            consumer.pause(consumer.assignment());
            paused = true;
        } else if (paused && load() <= limits.maxInFlight() / 2) {
            List<TopicPartition> resume = new ArrayList<>(consumer.paused());
            resume.removeIf(delayed::isWaiting);
            consumer.resume(resume);
            paused = false;
        }
        if (!paused) {
            consumer.resume(delayed.due(clock.millis()));
        }
        bulkYield.apply(paused, intake.held());
        delayed.measure();
        offsets.measure();
    }

    /** Lets in-flight work on {@code partitions} finish, for at most the drain timeout. */
    private void drain(Collection<TopicPartition> partitions) {
        long deadline = System.nanoTime() + limits.drainTimeout().toNanos();
        while (offsets.unfinished(partitions) > 0 && System.nanoTime() < deadline) {
            drainPipeline();
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        drainPipeline();
    }

    private void drainAndCommit() {
        consumer.pause(consumer.assignment());
        intake.giveBack(offsets.partitions());
        drain(offsets.partitions());
        offsets.commitSync(offsets.partitions());
        LOG.info("poll loop stopped: {} records left unfinished", pipeline.inFlight());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        offsets.assigned(partitions);
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
        delayed.forget(partitions);
        intake.giveBack(partitions);
        // finish what we started so the next owner finds sent marks, not claims to wait out
        drain(partitions);
        offsets.commitSync(partitions);
        offsets.forget(partitions);
        LOG.info("revoked {}", partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        delayed.forget(partitions);
        intake.giveBack(partitions);
        offsets.forget(partitions);
        LOG.warn("lost {}", partitions);
    }
}
