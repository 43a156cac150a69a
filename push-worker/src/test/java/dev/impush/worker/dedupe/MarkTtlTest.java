package dev.impush.worker.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MarkTtlTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private final MarkTtl ttl = new MarkTtl(Duration.ofHours(25));

    @Test
    void aMarkSet_livesUntilItsHourEndsPlusTheMargin() {
        assertEquals(Duration.ofSeconds(60).plus(MarkTtl.MARGIN).toMillis(), ttl.millis(NOW.plusSeconds(60), NOW));
        assertEquals(Duration.ofHours(24).plus(MarkTtl.MARGIN).toMillis(),
                ttl.millis(NOW.plus(Duration.ofHours(24)), NOW), "the detector's default TTL fits under the ceiling");
    }

    @Test
    void anHourPastTheCeiling_getsTheCeiling() {
        long ceiling = Duration.ofHours(25).toMillis();
        assertEquals(ceiling, ttl.millis(NOW.plus(Duration.ofHours(25)).minus(MarkTtl.MARGIN).plusMillis(1), NOW));
        assertEquals(ceiling, ttl.millis(NOW.plus(Duration.ofDays(30)), NOW));
        assertEquals(ceiling, ttl.millis(Instant.MAX, NOW));
    }

    @Test
    void anHourGone_keepsWhatIsLeftOfTheMargin_andNeverLessThanOneMilli() {
        assertEquals(MarkTtl.MARGIN.minusSeconds(60).toMillis(), ttl.millis(NOW.minusSeconds(60), NOW));
        assertEquals(1, ttl.millis(NOW.minus(MarkTtl.MARGIN), NOW));
        assertEquals(1, ttl.millis(Instant.MIN, NOW));
        assertEquals(1, new MarkTtl(Duration.ZERO).millis(NOW.plusSeconds(60), NOW), "Redis refuses a TTL of 0");
    }
}
