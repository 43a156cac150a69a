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
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Chat first: pauses this replica's bulk-lane partitions while any chat-lane partition it reads has
 * a backlog (records written but not yet taken, in a partition not waiting for a due time), while a
 * chat record taken has waited longer than {@code yieldAge} since it was written (the worker is too
 * busy to keep chat's latency: CPU, Redis or a vendor), while {@code maxInFlight} bulk records are
 * unfinished, or while bulk is ahead of its rate. So bulk gets only the capacity that chat leaves, and
 * never more than its share of it.
 *
 * <p>The rate adapts to chat's latency: unlimited until a chat record waits past {@code yieldAge},
 * then half the bulk rate just measured, halved again each {@code yieldAge} that chat stays slow (at
 * least {@link #MIN_RATE}), and a quarter more each {@code yieldAge} that chat keeps up, unlimited again
 * once above twice what bulk takes. A pause alone stops bulk only while chat is slow, and
 * on a busy machine bulk then takes the CPU back the moment chat recovers; a cap on records in flight
 * does not bound bulk's CPU at all when the vendor answers at once (README, Priority lanes).
 * Poll thread only.
 */
final class BulkYield {
    /** The lowest bulk rate: bulk never stops for good while chat is slow. */
    static final double MIN_RATE = 50;
    private static final long MEASURE_MILLIS = 100;
    private static final double BURST_SECONDS = 0.05;
    private final Consumer<?, ?> consumer;
    private final Function<String, Lane> laneOf;
    private final Map<TopicPartition, Lane> lanes = new HashMap<>();
    private final DelayedPartitions delayed;
    private final OffsetCommits offsets;
    private final int maxInFlight;
    private final long yieldAgeMillis;
    private final Clock clock;
    private boolean yielding;
    /** Bulk records per second allowed now; infinite: no limit. */
    private double rate = Double.POSITIVE_INFINITY;
    private double tokens;
    private long refilledAt;
    private long changedAt = Long.MIN_VALUE / 2;
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
    }

    /** The bulk records per second allowed now (infinite: no limit). */
    double rate() {
        return rate;
    }

    /** Counts the bulk-lane records among those just taken. */
    void taken(ConsumerRecords<?, ?> records) {
        int n = 0;
        for (TopicPartition tp : records.partitions()) {
            if (lanes.computeIfAbsent(tp, p -> laneOf.apply(p.topic())) == Lane.BULK) {
                n += records.records(tp).size();
            }
        }
        takenSince += n;
        if (rate != Double.POSITIVE_INFINITY) {
            tokens -= n;
        }
    }

    /**
     * Pauses or resumes the bulk lane; after the loop's own flow control, every loop (its resume of
     * the in-flight bound resumes every partition). {@code paused}: the loop holds every partition.
     */
    void apply(boolean paused) {
        List<TopicPartition> bulk = new ArrayList<>();
        List<TopicPartition> chat = new ArrayList<>();
        long chatBacklog = 0;
        for (TopicPartition tp : consumer.assignment()) {
            if (lanes.computeIfAbsent(tp, p -> laneOf.apply(p.topic())) == Lane.BULK) {
                bulk.add(tp);
            } else {
                chat.add(tp);
                if (!delayed.isWaiting(tp)) {
                    chatBacklog += consumer.currentLag(tp).orElse(0);
                }
            }
        }
        long now = clock.millis();
        boolean chatSlow = yieldAgeMillis > 0 && now - offsets.oldestSince(chat) > yieldAgeMillis;
        adapt(now, chatSlow, chatBacklog > 0);
        boolean yield = chatBacklog > 0 || chatSlow || offsets.unfinished(bulk) >= maxInFlight || tokens < 0;
        if (yield) {
            consumer.pause(bulk);
        } else if (yielding && !paused) {
            bulk.removeIf(delayed::isWaiting);
            consumer.resume(bulk);
        }
        yielding = yield;
    }

    private void adapt(long now, boolean chatSlow, boolean chatBacklog) {
        if (now - measuredAt >= MEASURE_MILLIS) { // smoothed over windows: a paused window alone does not zero it
            measured = (measured + takenSince * 1000.0 / (now - measuredAt)) / 2;
            takenSince = 0;
            measuredAt = now;
        }
        if (yieldAgeMillis > 0 && now - changedAt >= yieldAgeMillis) {
            if (chatSlow) {
                rate = Math.max(MIN_RATE, Math.min(rate, measured) / 2);
                tokens = Math.min(tokens, 0);
                changedAt = now;
            } else if (!chatBacklog && rate != Double.POSITIVE_INFINITY) {
                rate = rate * 1.25 > 2 * measured + MIN_RATE ? Double.POSITIVE_INFINITY : rate * 1.25;
                if (rate == Double.POSITIVE_INFINITY) {
                    tokens = 0;
                }
                changedAt = now;
            }
        }
        if (rate != Double.POSITIVE_INFINITY) {
            tokens = Math.min(Math.max(1, rate * BURST_SECONDS), tokens + rate * (now - refilledAt) / 1000.0);
        }
        refilledAt = now;
    }
}
