package dev.impush.worker.consumer;

import dev.impush.model.deadletter.Attempt;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One consumed record on its way through the pipeline. It is finished when nothing is
 * outstanding: every delivery answered and its dedupe transition applied, every publication it
 * caused (feedback, dead letter) acknowledged. Confined to the poll thread.
 */
final class JobState {
    /**
     * A device the job could not be delivered to, and why.
     *
     * @param retryAt when a retry may succeed; {@code null} when it never will
     * @param heldBy  what held the send back without asking the vendor (no attempt spent); {@code null}
     *                when the vendor answered
     */
    record Failure(PushTarget target, DeadLetterReason reason, String detail, List<Attempt> attempts,
                   java.time.Instant retryAt, dev.impush.worker.channel.SendOutcome.Held.Cause heldBy) {
        Failure(PushTarget target, DeadLetterReason reason, String detail) {
            this(target, reason, detail, List.of(), null, null);
        }

        boolean retryable() {
            return retryAt != null;
        }
    }

    final TopicPartition partition;
    final PartitionOffsetTracker tracker;
    final ConsumerRecord<byte[], byte[]> record;
    final PushJob job;
    final List<Failure> failures = new ArrayList<>(0);
    /** Times the job was attempted before this record (the retry tier it came through). */
    final int attempt;
    /** Times in a row the job was parked by an open breaker before this record. */
    final int held;
    /** Attempts made before this record, carried in its headers. */
    final List<Attempt> history;
    private int outstanding;
    private boolean settled;

    JobState(TopicPartition partition, PartitionOffsetTracker tracker, ConsumerRecord<byte[], byte[]> record,
             PushJob job) {
        this.partition = partition;
        this.tracker = tracker;
        this.record = record;
        this.job = job;
        this.attempt = dev.impush.model.job.JobHeaders.attempt(record.headers());
        this.held = dev.impush.model.job.JobHeaders.held(record.headers());
        this.history = dev.impush.model.job.JobHeaders.attempts(record.headers());
    }

    long offset() {
        return record.offset();
    }

    void expect(int n) {
        outstanding += n;
    }

    /** One outstanding piece is done; true when the record has nothing outstanding left. */
    boolean arrive() {
        return --outstanding <= 0;
    }

    boolean idle() {
        return outstanding <= 0;
    }

    /** True once, when devices failed: the caller must publish their retry or dead letter now. */
    boolean needsSettlement() {
        if (failures.isEmpty() || settled) {
            return false;
        }
        settled = true;
        return true;
    }
}
