package dev.impush.worker.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.impush.worker.pipeline.Finished;
import java.util.List;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Records finish per assignment: one that was in flight when its partition was revoked moves nothing later. */
class OffsetCommitsTest {
    private static final TopicPartition TP = new TopicPartition("push.jobs", 0);

    @Test
    void aRecordOfARevokedAssignment_doesNotMoveTheNextAssignmentsOffsets() {
        OffsetCommits commits = new OffsetCommits(null, java.time.Duration.ofSeconds(1));
        PartitionOffsetTracker before = commits.tracker(TP);
        before.track(5, 0);
        commits.assigned(List.of(TP)); // revoked while offset 5 was in flight, then assigned again
        PartitionOffsetTracker now = commits.tracker(TP);
        now.track(5, 0); // polled again by the new assignment
        now.track(6, 0);
        commits.finished(List.of(new Finished(TP, 5, before.generation)));
        assertEquals(OptionalLong.of(5), now.committable(), "the old assignment's record finished nothing");
        commits.finished(List.of(new Finished(TP, 5, now.generation), new Finished(TP, 6, now.generation)));
        assertEquals(OptionalLong.of(7), now.committable());
        assertEquals(0, commits.unfinished(List.of(TP)));
    }
}
