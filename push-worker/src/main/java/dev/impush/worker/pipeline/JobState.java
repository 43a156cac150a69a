package dev.impush.worker.pipeline;

import dev.impush.model.job.PushJob;
import dev.impush.worker.retry.Failure;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One consumed record on its way through the pipeline. It is finished when nothing is
 * outstanding: every delivery answered and its dedupe transition applied, every publication it
 * caused (feedback, retry, dead letter) acknowledged. Confined to the poll thread.
 */
final class JobState {
    final ConsumerRecord<byte[], byte[]> record;
    final long generation;
    /** {@code null} when the record was unreadable. */
    final PushJob job;
    final List<Failure> failures = new ArrayList<>(0);
    private int outstanding;
    private boolean settled;

    JobState(Incoming in, PushJob job) {
        this.record = in.record();
        this.generation = in.generation();
        this.job = job;
    }

    /** One more piece (a delivery, a publication) to wait for. */
    void expect() {
        outstanding++;
    }

    /** One outstanding piece is done; true when the record has nothing outstanding left. */
    boolean arrive() {
        return --outstanding <= 0;
    }

    /** True once, when devices failed: their retry or dead letter must be published now. */
    boolean needsSettlement() {
        if (failures.isEmpty() || settled) {
            return false;
        }
        settled = true;
        return true;
    }

    Finished finished() {
        return new Finished(new TopicPartition(record.topic(), record.partition()), record.offset(), generation);
    }

    @Override
    public String toString() {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
