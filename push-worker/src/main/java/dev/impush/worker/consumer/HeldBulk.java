package dev.impush.worker.consumer;

import dev.impush.worker.pipeline.Incoming;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Bulk-lane records taken from Kafka and not yet handed to the pipeline. A poll returns a bulk
 * partition's records by the hundred; handed in at once, their claims and sends would hold every
 * chat record polled after them. They go in by slices instead, as the bulk rate allows
 * ({@link BulkYield#allowance}), after the chat records of each loop. They count as unfinished from
 * the moment they are taken (a commit never passes them), and are given back to Kafka with their
 * partition when it is revoked or a batch of it could not be taken in. Poll thread only.
 */
final class HeldBulk {
    private final ArrayDeque<Incoming> held = new ArrayDeque<>();

    void add(Incoming in) {
        held.add(in);
    }

    int size() {
        return held.size();
    }

    /** Moves the first {@code n} held records (at most) to {@code into}; returns how many. */
    int release(int n, List<Incoming> into) {
        int released = 0;
        for (; released < n && !held.isEmpty(); released++) {
            into.add(held.poll());
        }
        return released;
    }

    /** Forgets the held records of {@code partitions}; returns each one's first forgotten offset. */
    Map<TopicPartition, Long> drop(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Iterator<Incoming> it = held.iterator(); it.hasNext(); ) {
            Incoming in = it.next();
            if (partitions.contains(in.partition())) {
                first.putIfAbsent(in.partition(), in.record().offset());
                it.remove();
            }
        }
        return first;
    }
}
