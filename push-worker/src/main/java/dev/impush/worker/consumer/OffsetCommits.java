package dev.impush.worker.consumer;

import dev.impush.worker.pipeline.Finished;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offsets of the assigned partitions: a {@link PartitionOffsetTracker} per assignment, and the
 * commits of what is finished: asynchronously every interval, synchronously when asked (on
 * revocation and shutdown). Poll thread only (commit callbacks run within poll and commitSync).
 */
final class OffsetCommits {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommits.class);
    private final Consumer<byte[], byte[]> consumer;
    private final long intervalMillis;
    private final Map<TopicPartition, PartitionOffsetTracker> trackers = new HashMap<>();
    private long generations;
    private long nextCommit;
    /** Per topic, epoch ms since when its oldest unfinished record waits (see {@link #measure}); any thread reads it. */
    private volatile Map<String, Long> oldestSince = Map.of();

    OffsetCommits(Consumer<byte[], byte[]> consumer, Duration interval) {
        this.consumer = consumer;
        this.intervalMillis = interval.toMillis();
    }

    /** The tracker of {@code tp}'s current assignment. */
    PartitionOffsetTracker tracker(TopicPartition tp) {
        return trackers.computeIfAbsent(tp, p -> new PartitionOffsetTracker(++generations));
    }

    /** A new assignment of each partition: records of an earlier one no longer move its offsets. */
    void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> trackers.put(tp, new PartitionOffsetTracker(++generations)));
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(trackers::remove);
    }

    Set<TopicPartition> partitions() {
        return trackers.keySet();
    }

    void finished(List<Finished> finished) {
        for (Finished f : finished) {
            PartitionOffsetTracker t = trackers.get(f.partition());
            if (t != null && t.generation == f.generation()) {
                t.complete(f.offset());
            }
        }
    }

    int unfinished(Collection<TopicPartition> partitions) {
        int n = 0;
        for (TopicPartition tp : partitions) {
            PartitionOffsetTracker t = trackers.get(tp);
            n += t == null ? 0 : t.unfinishedCount();
        }
        return n;
    }

    /** Updates what {@link #oldestUnfinishedAge} reports. */
    void measure() {
        Map<String, Long> oldest = new HashMap<>();
        trackers.forEach((tp, t) -> {
            long since = t.oldestSince();
            if (since != Long.MAX_VALUE) {
                oldest.merge(tp.topic(), since, Math::min);
            }
        });
        oldestSince = oldest;
    }

    /** Seconds since the oldest record of {@code topic} not finished waits; 0 when none. Any thread. */
    double oldestUnfinishedAge(String topic, long now) {
        Long since = oldestSince.get(topic);
        return since == null ? 0 : Math.max(0, now - since) / 1000.0;
    }

    void commitIfDue(long now) {
        if (now < nextCommit) {
            return;
        }
        nextCommit = now + intervalMillis;
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(trackers.keySet());
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, e) -> {
                if (e != null) {
                    // routine during a rebalance; the next commit (or the one on revoke) covers it
                    LOG.debug("async commit failed: {}", e.toString());
                } else {
                    committed(committed);
                }
            });
        }
    }

    void commitSync(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = committable(partitions);
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            committed(offsets);
        } catch (RuntimeException e) {
            LOG.warn("commit of finished work failed: {}", e.toString());
        }
    }

    private void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            PartitionOffsetTracker t = trackers.get(tp);
            if (t != null) {
                t.committed(o.offset());
            }
        });
    }

    private Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            PartitionOffsetTracker t = trackers.get(tp);
            OptionalLong o = t == null ? OptionalLong.empty() : t.committable();
            o.ifPresent(offset -> offsets.put(tp, new OffsetAndMetadata(offset)));
        }
        return offsets;
    }
}
