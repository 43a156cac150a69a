package dev.impush.worker.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PartitionOffsetTrackerTest {

    @Test
    void nothingTracked_nothingToCommit() {
        assertTrue(new PartitionOffsetTracker(0).committable().isEmpty());
    }

    @Test
    void inOrderCompletion_commitsOnePastHighest() {
        var t = new PartitionOffsetTracker(0);
        t.track(5, 0);
        t.track(6, 0);
        t.complete(5);
        t.complete(6);
        assertEquals(OptionalLong.of(7), t.committable());
    }

    @Test
    void gap_holdsCommitAtLowestUnfinished() {
        var t = new PartitionOffsetTracker(0);
        for (long o = 10; o < 15; o++) {
            t.track(o, 0);
        }
        t.complete(10);
        t.complete(12);
        t.complete(13);
        t.complete(14);
        assertEquals(OptionalLong.of(11), t.committable());
        t.complete(11);
        assertEquals(OptionalLong.of(15), t.committable());
    }

    @Test
    void committedPosition_isNotOfferedAgain() {
        var t = new PartitionOffsetTracker(0);
        t.track(0, 0);
        t.complete(0);
        t.committed(1);
        assertTrue(t.committable().isEmpty());
        t.track(1, 0);
        assertTrue(t.committable().isEmpty(), "offset 1 unfinished: position stays 1, already committed");
        t.complete(1);
        assertEquals(OptionalLong.of(2), t.committable());
    }

    @Test
    void rewind_forgetsLaterOffsets_andCommitsBelowIt() {
        var t = new PartitionOffsetTracker(0);
        for (long o = 0; o < 5; o++) {
            t.track(o, 0);
        }
        t.complete(0);
        t.complete(1);
        t.rewindTo(2);
        assertEquals(OptionalLong.of(2), t.committable());
        assertEquals(0, t.unfinishedCount());
        t.track(2, 0);
        t.complete(2);
        assertEquals(OptionalLong.of(3), t.committable());
    }

    @Test
    void completionOfUnknownOffset_isHarmless() {
        var t = new PartitionOffsetTracker(0);
        t.track(3, 0);
        t.complete(99);
        assertEquals(OptionalLong.of(3), t.committable());
    }

    @Test
    void oldestSince_isTheCommitPositionsRecord_evenWhileGivenBack() {
        var t = new PartitionOffsetTracker(0);
        assertEquals(Long.MAX_VALUE, t.oldestSince(), "nothing taken");
        t.track(0, 1_000);
        t.track(1, 2_000);
        t.track(2, 3_000);
        t.complete(0);
        assertEquals(2_000, t.oldestSince(), "the oldest unfinished, not the oldest taken");
        t.rewindTo(1); // Redis away: the batch went back to Kafka, still waiting
        assertEquals(0, t.unfinishedCount());
        assertEquals(2_000, t.oldestSince());
        t.track(1, 2_000);
        t.complete(1);
        assertEquals(Long.MAX_VALUE, t.oldestSince(), "taken again and finished");
    }
}
