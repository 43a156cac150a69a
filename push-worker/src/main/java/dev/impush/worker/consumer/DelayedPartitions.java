package dev.impush.worker.consumer;

import dev.impush.model.Channel;
import dev.impush.model.job.JobHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Retry-tier and parking partitions, whose records wait until they are due (their
 * {@code impush-due-at} header). When the head record of such a partition is not due, the poll loop
 * rewinds to it and pauses the partition; this tells when it may resume. A parked record that waits
 * for its channel's breaker ({@code impush-release-on: recovery}) is due at once when the channel
 * recovered after it was written. Poll thread only, except {@link #oldestParkedAge}.
 */
final class DelayedPartitions {
    /** A paused partition's head record: when it is due, and the channel whose recovery lets it out early. */
    private record Waiting(long due, Channel untilRecoveryOf, long writtenAt) {}

    private final Predicate<String> delayed;
    /** The channel of a parking topic, null for any other topic. */
    private final Function<String, Channel> parkedChannel;
    /** Epoch ms when a channel last recovered (its breaker closed again). */
    private final ToLongFunction<Channel> recoveredAt;
    private final Map<TopicPartition, Waiting> waiting = new HashMap<>();
    /** Epoch ms the oldest parked head record was written, for the age gauge; MAX_VALUE when none. */
    private volatile long oldestParkedWrittenAt = Long.MAX_VALUE;

    DelayedPartitions(Predicate<String> delayed, Function<String, Channel> parkedChannel,
                      ToLongFunction<Channel> recoveredAt) {
        this.delayed = delayed;
        this.parkedChannel = parkedChannel;
        this.recoveredAt = recoveredAt;
    }

    /**
     * Whether {@code r} may be taken now; if not, its partition is remembered as waiting at it (the
     * caller rewinds to it and pauses the partition).
     */
    boolean take(TopicPartition tp, ConsumerRecord<byte[], byte[]> r, long now) {
        if (!delayed.test(tp.topic())) {
            return true;
        }
        long due = JobHeaders.dueAt(r.headers()).map(Instant::toEpochMilli).orElse(0L);
        Channel channel = parkedChannel.apply(tp.topic());
        boolean untilRecovery = channel != null
                && JobHeaders.RELEASE_ON_RECOVERY.equals(JobHeaders.string(r.headers(), JobHeaders.RELEASE_ON));
        Waiting w = new Waiting(due, untilRecovery ? channel : null, r.timestamp());
        if (ready(w, now)) {
            return true;
        }
        waiting.put(tp, w);
        return false;
    }

    /** Whether {@code topic}'s records wait until they are due (a retry tier or parking topic). */
    boolean delays(String topic) {
        return delayed.test(topic);
    }

    /** Epoch ms since when {@code r} waits to be finished: when it was written or, in a delayed topic, due. */
    long waitingSince(TopicPartition tp, ConsumerRecord<byte[], byte[]> r) {
        if (!delayed.test(tp.topic())) {
            return r.timestamp();
        }
        return Math.max(r.timestamp(), JobHeaders.dueAt(r.headers()).map(Instant::toEpochMilli).orElse(0L));
    }

    private boolean ready(Waiting w, long now) {
        return w.due <= now || (w.untilRecoveryOf != null && recoveredAt.applyAsLong(w.untilRecoveryOf) > w.writtenAt);
    }

    boolean isWaiting(TopicPartition tp) {
        return waiting.containsKey(tp);
    }

    /** The waiting partitions that are due now (forgotten here: the caller resumes them). */
    List<TopicPartition> due(long now) {
        List<TopicPartition> due = new ArrayList<>();
        waiting.entrySet().removeIf(e -> ready(e.getValue(), now) && due.add(e.getKey()));
        return due;
    }

    /** Updates what {@link #oldestParkedAge} reports. */
    void measure() {
        long oldest = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, Waiting> e : waiting.entrySet()) {
            if (parkedChannel.apply(e.getKey().topic()) != null) {
                oldest = Math.min(oldest, e.getValue().writtenAt());
            }
        }
        oldestParkedWrittenAt = oldest;
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(waiting::remove);
    }

    /** Seconds since the oldest parked record waited at was written; 0 when none. Any thread. */
    double oldestParkedAge(long now) {
        long oldest = oldestParkedWrittenAt;
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, now - oldest) / 1000.0;
    }
}
