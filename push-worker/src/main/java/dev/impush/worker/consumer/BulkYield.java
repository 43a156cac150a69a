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
import org.apache.kafka.common.TopicPartition;

/**
 * Chat first: pauses this replica's bulk-lane partitions while any chat-lane partition it reads has
 * a backlog (records written but not yet taken, in a partition not waiting for a due time), while a
 * chat record taken has waited longer than {@code yieldAge} since it was written (the worker is too
 * busy to keep chat's latency: CPU, Redis or a vendor), or while {@code maxInFlight} bulk records are
 * unfinished. So bulk gets only the capacity that chat leaves, and never more than its share of it.
 * Poll thread only.
 */
final class BulkYield {
    private final Consumer<?, ?> consumer;
    private final Function<String, Lane> laneOf;
    private final Map<TopicPartition, Lane> lanes = new HashMap<>();
    private final DelayedPartitions delayed;
    private final OffsetCommits offsets;
    private final int maxInFlight;
    private final long yieldAgeMillis;
    private final Clock clock;
    private boolean yielding;

    BulkYield(Consumer<?, ?> consumer, Function<String, Lane> laneOf, DelayedPartitions delayed, OffsetCommits offsets,
              int maxInFlight, Duration yieldAge, Clock clock) {
        this.consumer = consumer;
        this.laneOf = laneOf;
        this.delayed = delayed;
        this.offsets = offsets;
        this.maxInFlight = maxInFlight;
        this.yieldAgeMillis = yieldAge.toMillis();
        this.clock = clock;
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
        boolean chatSlow = yieldAgeMillis > 0 && clock.millis() - offsets.oldestSince(chat) > yieldAgeMillis;
        boolean yield = chatBacklog > 0 || chatSlow || offsets.unfinished(bulk) >= maxInFlight;
        if (yield) {
            consumer.pause(bulk);
        } else if (yielding && !paused) {
            bulk.removeIf(delayed::isWaiting);
            consumer.resume(bulk);
        }
        yielding = yield;
    }
}
