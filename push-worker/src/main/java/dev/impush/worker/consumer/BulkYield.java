package dev.impush.worker.consumer;

import dev.impush.model.Lane;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Chat first: holds this replica's bulk lane back while any chat-lane partition it reads has a
 * backlog (records written but not yet taken, in a partition not waiting for a due time), while chat
 * is slow, or while {@code maxInFlight} bulk records are unfinished; and keeps it to its rate
 * otherwise. Bulk records polled go to the pipeline from {@link HeldBulk} only as {@link #allowance}
 * says (within the rate, at most {@link #SLICE} a loop), and the bulk partitions fetch no more while
 * any are held or the lane yields. So bulk gets only the capacity that chat leaves, in small slices
 * that no chat record waits long behind.
 *
 * <p>Chat is slow when a chat record is taken {@code yieldAge} later than chat records are taken at
 * best: its delay from written to taken, less the lowest such delay of the last seconds (which is the
 * producer's linger, the fetch wait and the clock skew between hosts, not load). The replica is then
 * too busy (CPU, Redis, the broker) to keep chat's latency with bulk beside it. A vendor's answer
 * time does not count: a chat push waiting 200 ms for APNs says nothing about spare capacity.
 *
 * <p>The bulk rate follows (additive in spirit, multiplicative in steps): in each {@code yieldAge}
 * window where chat was slow it halves (the first time from what bulk just took; at least
 * {@link #MIN_RATE}); after {@link #CLEAN_WINDOWS} windows in a row where chat kept up it grows by a
 * quarter, and is no limit again above {@link #UNLIMITED}. It never follows what bulk took while
 * limited: that falls too while bulk yields for other reasons (a chat backlog, its in-flight share).
 * Falling fast and growing slowly keeps chat slow in few windows: a pause alone stops bulk only
 * while chat is slow, and on a busy machine bulk then takes the CPU back the moment chat recovers
 * (README, Priority lanes). Poll thread only.
 */
final class BulkYield {
    /** The lowest bulk rate: bulk never stops for good while chat is slow. */
    static final double MIN_RATE = 50;
    /** A bulk rate above this is no limit. */
    static final double UNLIMITED = 100_000;
    /** Windows in a row without slow chat before the bulk rate grows. */
    static final int CLEAN_WINDOWS = 10;
    /** How long the lowest take delay is remembered, at least (and at most twice that). */
    static final long FLOOR_MILLIS = 5_000;
    private static final long MEASURE_MILLIS = 100;
    private static final double BURST_SECONDS = 0.05;
    /** Most bulk records handed to the pipeline in one loop: chat records polled meanwhile wait for no more. */
    static final int SLICE = 200;
    private final Consumer<?, ?> consumer;
    private final Function<String, Lane> laneOf;
    private final Map<TopicPartition, Lane> lanes = new HashMap<>();
    private final DelayedPartitions delayed;
    private final OffsetCommits offsets;
    private final int maxInFlight;
    private final long yieldAgeMillis;
    private final Clock clock;
    private boolean holding;
    /** Whether held bulk records may go to the pipeline now (within the rate). */
    private boolean releasing;
    /** Bulk records per second allowed now; infinite: no limit. */
    private double rate = Double.POSITIVE_INFINITY;
    private double tokens;
    private long refilledAt;
    /** The current window: since when, whether chat was slow in it, and the clean windows before it. */
    private long windowStart;
    private boolean slowInWindow;
    private int cleanWindows;
    /** The lowest take delay of chat records (ms) in the last period and in this one; when this one began. */
    private long floorBefore = Long.MAX_VALUE;
    private long floorNow = Long.MAX_VALUE;
    private long floorSince;
    /** Bulk records taken since {@link #measuredAt}, and the rate last measured from them. */
    private long takenSince;
    private long measuredAt;
    private double measured;

    BulkYield(Consumer<?, ?> consumer, Function<String, Lane> laneOf, DelayedPartitions delayed, OffsetCommits offsets,
              int maxInFlight, Duration yieldAge, Clock clock) {
        this.consumer = consumer;
        this.laneOf = laneOf;
        this.delayed = delayed;
        this.offsets = offsets;
        this.maxInFlight = maxInFlight;
        this.yieldAgeMillis = yieldAge.toMillis();
        this.clock = clock;
        this.measuredAt = clock.millis();
        this.refilledAt = measuredAt;
        this.windowStart = measuredAt;
        this.floorSince = measuredAt;
    }

    /** The bulk records per second allowed now (infinite: no limit). */
    double rate() {
        return rate;
    }

    /** Whether {@code tp} is a bulk-lane partition. */
    boolean bulk(TopicPartition tp) {
        return lane(tp) == Lane.BULK;
    }

    /** Bulk records that may go to the pipeline now: none while bulk yields, at most a {@link #SLICE}. */
    int allowance() {
        if (!releasing) {
            return 0;
        }
        return rate == Double.POSITIVE_INFINITY ? SLICE : (int) Math.max(0, Math.min(SLICE, tokens));
    }

    /** {@code n} bulk records went to the pipeline. */
    void released(int n) {
        takenSince += n;
        if (rate != Double.POSITIVE_INFINITY) {
            tokens -= n;
        }
    }

    /** Notes how late the chat-lane records just taken are. */
    void taken(ConsumerRecords<?, ?> records) {
        long now = clock.millis();
        long slowest = Long.MIN_VALUE;
        for (TopicPartition tp : records.partitions()) {
            if (lane(tp) == Lane.CHAT && !delayed.delays(tp.topic())) {
                for (ConsumerRecord<?, ?> r : records.records(tp)) {
                    if (r.timestamp() < 0) {
                        continue; // no timestamp (an old message format): no delay to tell
                    }
                    long delay = now - r.timestamp();
                    slowest = Math.max(slowest, delay);
                    floorNow = Math.min(floorNow, delay);
                }
            }
        }
        if (now - floorSince >= FLOOR_MILLIS) {
            floorBefore = floorNow;
            floorNow = Long.MAX_VALUE;
            floorSince = now;
        }
        if (yieldAgeMillis > 0 && slowest != Long.MIN_VALUE
                && slowest - Math.min(floorBefore, floorNow) > yieldAgeMillis) {
            slowInWindow = true;
        }
    }

    /**
     * Pauses or resumes the bulk lane, and allows held bulk records in or not; after the loop's own
     * flow control, every loop (its resume of the in-flight bound resumes every partition).
     * {@code paused}: the loop holds every partition; {@code held}: bulk records taken from Kafka,
     * not yet in the pipeline (the lane fetches no more while there are any).
     */
    void apply(boolean paused, int held) {
        List<TopicPartition> bulk = new ArrayList<>();
        long chatBacklog = 0;
        for (TopicPartition tp : consumer.assignment()) {
            if (lane(tp) == Lane.BULK) {
                bulk.add(tp);
            } else if (!delayed.isWaiting(tp)) {
                chatBacklog += consumer.currentLag(tp).orElse(0);
            }
        }
        boolean slow = slowInWindow; // the window may end now: it still pauses this once
        adapt(clock.millis(), chatBacklog > 0);
        boolean yield = chatBacklog > 0 || slow || offsets.unfinished(bulk) - held >= maxInFlight;
        releasing = !yield && !paused;
        boolean hold = yield || held > 0; // fetch no more bulk
        if (hold) {
            consumer.pause(bulk);
        } else if (holding && !paused) {
            bulk.removeIf(delayed::isWaiting);
            consumer.resume(bulk);
        }
        holding = hold;
    }

    private Lane lane(TopicPartition tp) {
        return lanes.computeIfAbsent(tp, p -> laneOf.apply(p.topic()));
    }

    private void adapt(long now, boolean chatBacklog) {
        if (now - measuredAt >= MEASURE_MILLIS) { // smoothed over windows: a paused window alone does not zero it
            measured = (measured + takenSince * 1000.0 / (now - measuredAt)) / 2;
            takenSince = 0;
            measuredAt = now;
        }
        if (yieldAgeMillis > 0 && now - windowStart >= yieldAgeMillis) {
            if (slowInWindow) {
                // from the rate it had; from what bulk took when it had none
                rate = Math.max(MIN_RATE, (rate == Double.POSITIVE_INFINITY ? measured : rate) / 2);
                tokens = Math.min(tokens, 0);
                cleanWindows = 0;
            } else if (!chatBacklog && rate != Double.POSITIVE_INFINITY && ++cleanWindows >= CLEAN_WINDOWS) {
                rate = rate * 1.25 > UNLIMITED ? Double.POSITIVE_INFINITY : rate * 1.25;
                if (rate == Double.POSITIVE_INFINITY) {
                    tokens = 0;
                }
                cleanWindows = 0;
            }
            slowInWindow = false;
            windowStart = now;
        }
        if (rate != Double.POSITIVE_INFINITY) {
            tokens = Math.min(Math.max(1, rate * BURST_SECONDS), tokens + rate * (now - refilledAt) / 1000.0);
        }
        refilledAt = now;
    }
}
