package dev.impush.detector.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeLogTest {
    private static final long T = 1_800_000_000_000L;
    private static final long GRACE = 2_000;
    private static final long MAX_GAP = 5_000;

    private final ProbeLog log = new ProbeLog(GRACE, MAX_GAP);

    /** A probe every second from {@code from} to {@code to} (inclusive), with these offsets. */
    private void answers(long from, long to, Map<Integer, Long> ends, Map<Integer, Long> committed) {
        for (long t = from; t <= to; t += 1_000) {
            log.answered(t, ends, committed);
        }
    }

    @Test
    void beforeAnyAnswer_unreachable_neverCaughtUp() {
        assertEquals(Long.MAX_VALUE, log.reachableSince(T));
        assertEquals(Long.MIN_VALUE, log.caughtUpAt(0, T));
    }

    @Test
    void caughtUp_whenCommittedReachesTheEnd_onceTheBrokerHasAnsweredForTheGrace() {
        answers(T, T + 1_000, Map.of(0, 10L, 1, 5L), Map.of(0, 10L, 1, 4L));
        assertEquals(T, log.reachableSince(T + 1_000));
        assertEquals(Long.MIN_VALUE, log.caughtUpAt(0, T + 1_000), "answering for 1 s only");
        log.answered(T + 2_000, Map.of(0, 10L, 1, 5L), Map.of(0, 10L, 1, 4L));
        assertEquals(T + 2_000, log.caughtUpAt(0, T + 2_000));
        assertEquals(Long.MIN_VALUE, log.caughtUpAt(1, T + 2_000), "one record not read yet");
        log.answered(T + 3_000, Map.of(0, 12L, 1, 5L), Map.of(0, 10L, 1, 5L));
        assertEquals(T + 2_000, log.caughtUpAt(0, T + 3_000), "new records: the last time it was caught up stands");
        assertEquals(T + 3_000, log.caughtUpAt(1, T + 3_000));
    }

    @Test
    void noCommitYet_countsAsZero() {
        answers(T, T + 2_000, Map.of(0, 0L, 1, 3L), Map.of());
        assertEquals(T + 2_000, log.caughtUpAt(0, T + 2_000));
        assertEquals(Long.MIN_VALUE, log.caughtUpAt(1, T + 2_000));
    }

    @Test
    void afterAFailedProbe_reachableAgainOnlyFromTheNextAnswer_andCaughtUpWaitsTheGrace() {
        answers(T, T + 5_000, Map.of(0, 10L), Map.of(0, 10L));
        log.failed(T + 6_000);
        assertEquals(Long.MAX_VALUE, log.reachableSince(T + 6_000));
        assertEquals(T + 5_000, log.caughtUpAt(0, T + 6_000), "a past fact stays");
        answers(T + 20_000, T + 21_000, Map.of(0, 14L), Map.of(0, 14L));
        assertEquals(T + 20_000, log.reachableSince(T + 21_000));
        assertEquals(T + 5_000, log.caughtUpAt(0, T + 21_000), "held-back records may still be on their way");
        log.answered(T + 22_000, Map.of(0, 14L), Map.of(0, 14L));
        assertEquals(T + 22_000, log.caughtUpAt(0, T + 22_000));
    }

    @Test
    void aGapBetweenAnswers_theDetectorDidNotRun_countsAsAnOutage() {
        answers(T, T + 3_000, Map.of(0, 10L), Map.of(0, 10L));
        assertEquals(Long.MAX_VALUE, log.reachableSince(T + 9_000), "no answer for longer than the gap");
        log.answered(T + 15_000, Map.of(0, 10L), Map.of(0, 10L));
        assertEquals(T + 15_000, log.reachableSince(T + 15_000));
        assertEquals(T + 3_000, log.caughtUpAt(0, T + 15_000));
    }
}
