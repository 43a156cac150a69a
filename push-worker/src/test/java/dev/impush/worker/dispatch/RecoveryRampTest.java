package dev.impush.worker.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RecoveryRampTest {
    private static final long T = 1_000_000;

    @Test
    void withoutARecovery_nothingWaits() {
        RecoveryRamp ramp = new RecoveryRamp(10);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(0, ramp.delay(T));
        }
    }

    @Test
    void afterARecovery_theRateDoublesEverySecond_thenTheRampEnds() {
        RecoveryRamp ramp = new RecoveryRamp(10);
        ramp.recovered(T);
        for (int i = 0; i < 10; i++) {
            assertEquals(0, ramp.delay(T + 100));
        }
        assertEquals(600, ramp.delay(T + 400), "the 11th send of the first second waits for the next");
        for (int i = 0; i < 20; i++) {
            assertEquals(0, ramp.delay(T + 1_000));
        }
        assertEquals(1_000, ramp.delay(T + 1_000), "the second second allows 20");
        long end = T + RecoveryRamp.STEPS * 1_000L;
        for (int i = 0; i < 100_000; i++) {
            assertEquals(0, ramp.delay(end));
        }
    }

    @Test
    void aZeroStart_turnsTheRampOff() {
        RecoveryRamp ramp = new RecoveryRamp(0);
        ramp.recovered(T);
        for (int i = 0; i < 1_000; i++) {
            assertEquals(0, ramp.delay(T));
        }
    }
}
