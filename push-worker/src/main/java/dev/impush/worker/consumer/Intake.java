package dev.impush.worker.consumer;

import dev.impush.worker.pipeline.Incoming;
import dev.impush.worker.pipeline.JobPipeline;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Takes what a poll returned into the {@link JobPipeline}: a delayed partition's record not due yet
 * is rewound to and its partition paused ({@link DelayedPartitions}); every record taken is tracked
 * as unfinished; chat records go in at once, bulk records are held ({@link HeldBulk}) and go in after
 * them as the bulk lane allows ({@link BulkYield}). A batch the pipeline cannot take (Redis away) is
 * given back to Kafka, with what is held behind it. Poll thread only.
 */
final class Intake {
    private final Consumer<?, ?> consumer;
    private final DelayedPartitions delayed;
    private final OffsetCommits offsets;
    private final BulkYield bulkYield;
    private final JobPipeline pipeline;
    private final HeldBulk held = new HeldBulk();

    Intake(Consumer<?, ?> consumer, DelayedPartitions delayed, OffsetCommits offsets, BulkYield bulkYield,
           JobPipeline pipeline) {
        this.consumer = consumer;
        this.delayed = delayed;
        this.offsets = offsets;
        this.bulkYield = bulkYield;
        this.pipeline = pipeline;
    }

    /** Bulk records taken from Kafka, not yet in the pipeline. */
    int held() {
        return held.size();
    }

    /** Whether held bulk records may go in now: the next poll should not wait. */
    boolean releasable() {
        return held.size() > 0 && bulkYield.allowance() > 0;
    }

    /** Takes the chat records in, and held bulk records as the bulk lane allows. */
    void take(ConsumerRecords<byte[], byte[]> records, long now) {
        List<Incoming> batch = new ArrayList<>(records.count());
        for (TopicPartition tp : records.partitions()) {
            PartitionOffsetTracker tracker = offsets.tracker(tp);
            boolean bulk = bulkYield.bulk(tp);
            for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                if (!delayed.take(tp, r, now)) {
                    // not due: rewind to it and pause this partition until it is
                    consumer.seek(tp, r.offset());
                    consumer.pause(List.of(tp));
                    break;
                }
                tracker.track(r.offset(), delayed.waitingSince(tp, r));
                Incoming in = new Incoming(r, tracker.generation);
                if (bulk) {
                    held.add(in);
                } else {
                    batch.add(in);
                }
            }
        }
        bulkYield.released(held.release(bulkYield.allowance(), batch));
        if (!batch.isEmpty() && !pipeline.intake(batch)) {
            // no dedupe decision, no send: give the batch back to Kafka (with what is held behind it) and wait for Redis
            Map<TopicPartition, Long> first = new HashMap<>();
            batch.forEach(in -> first.putIfAbsent(in.partition(), in.record().offset()));
            held.drop(first.keySet()); // behind the batch's records: the rewind below covers them
            first.forEach((tp, offset) -> {
                offsets.tracker(tp).rewindTo(offset);
                consumer.seek(tp, offset);
            });
        }
    }

    /** Forgets the held records of {@code partitions}: they are not taken in, the next owner (or poll) reads them again. */
    void giveBack(Collection<TopicPartition> partitions) {
        held.drop(partitions).forEach((tp, offset) -> offsets.tracker(tp).rewindTo(offset));
    }
}
