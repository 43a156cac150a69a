package dev.impush.detector.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.impush.detector.input.InputProgress;
import org.junit.jupiter.api.Test;

class AckClockTest {
    private static final long T = 1_800_000_000_000L;
    private static final long GRACE = 2_000;

    /** Input progress with settable answers. */
    private static final class Input implements InputProgress {
        long caughtUpAt = Long.MIN_VALUE;
        long reachableSince = Long.MIN_VALUE;

        @Override
        public long caughtUpAt(int partition, long now) {
            return partition == 3 ? caughtUpAt : Long.MIN_VALUE;
        }

        @Override
        public long reachableSince(long now) {
            return reachableSince;
        }
    }

    private final Input input = new Input();
    private final AckClock clock = new AckClock(input, 3, GRACE);

    @Test
    void nothingRead_noEvidence_noHorizon() {
        assertEquals(Long.MIN_VALUE, clock.horizon(T + 60_000));
    }

    @Test
    void streamTime_isTheLatestEventReadLessTheGrace_whateverTheWallClock() {
        clock.read(T, T + 600_000); // a backlog read ten minutes late
        clock.read(T + 5_000, T + 600_001);
        clock.read(T + 3_000, T + 600_002); // out of order: does not move it back
        assertEquals(T + 3_000, clock.horizon(T + 900_000));
    }

    @Test
    void eventTime_neverLaterThanTheDetectorsClock() {
        assertEquals(T + 1_000, clock.read(T + 3_600_000, T + 1_000)); // a producer clock an hour ahead
        assertEquals(T - 1_000, clock.horizon(T + 1_000));
    }

    @Test
    void eventBehindTheHorizon_countsAsHappeningAtTheHorizon() {
        clock.read(T + 20_000, T + 20_000);
        assertEquals(T + 18_000, clock.horizon(T + 20_000));
        assertEquals(T + 18_000, clock.read(T + 1_000, T + 20_100), "held up: its deadline runs from the horizon");
        assertEquals(T + 19_000, clock.read(T + 19_000, T + 20_200));
    }

    @Test
    void afterAnOutage_streamTimeCountsOnlyFromAnEventProducedAGraceAfterTheBrokerCameBack() {
        clock.read(T, T);
        assertEquals(T - GRACE, clock.horizon(T));
        input.reachableSince = Long.MAX_VALUE; // broker away
        assertEquals(T - GRACE, clock.horizon(T + 10_000));
        input.reachableSince = T + 20_000; // back
        clock.read(T + 15_000, T + 20_100); // held back during the outage: any order
        assertEquals(T - GRACE, clock.horizon(T + 20_200));
        clock.read(T + 21_900, T + 21_900);
        assertEquals(T - GRACE, clock.horizon(T + 21_900), "produced less than the grace after the broker came back");
        clock.read(T + 22_000, T + 22_000);
        assertEquals(T + 20_000, clock.horizon(T + 22_000));
    }

    @Test
    void caughtUp_isTheBrokersEvidenceLessTheGrace_andTheHorizonNeverGoesBack() {
        input.caughtUpAt = T + 30_000;
        assertEquals(T + 28_000, clock.horizon(T + 31_000));
        input.caughtUpAt = T + 10_000; // cannot happen, but must not move it back
        assertEquals(T + 28_000, clock.horizon(T + 32_000));
        input.caughtUpAt = T + 50_000; // not later than now
        assertEquals(T + 38_000, clock.horizon(T + 40_000));
    }

    @Test
    void caughtUp_countsEvenWhileStreamTimeIsHeldAfterAnOutage() {
        input.reachableSince = T + 20_000;
        clock.read(T + 15_000, T + 20_100);
        input.caughtUpAt = T + 22_500;
        assertEquals(T + 20_500, clock.horizon(T + 23_000));
    }
}
