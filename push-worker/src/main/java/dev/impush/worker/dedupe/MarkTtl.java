package dev.impush.worker.dedupe;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a finished mark ({@code sent}, {@code done:<why>}) lives in Redis. A mark only has to
 * outlive its job: past {@code expiresAt} the job is dropped as expired wherever it turns up again
 * (redelivery, retry tier, replay). So a mark lives the job's remaining lifetime plus
 * {@code margin} (for clock skew between the hosts), and at most {@code ceiling}, which also
 * applies to jobs without an expiry.
 *
 * @param ceiling the longest a mark lives (IMPUSH_DEDUPE_SENT_TTL_MS)
 * @param margin  added to the job's remaining lifetime
 */
record MarkTtl(Duration ceiling, Duration margin) {
    /** Far more than NTP-synchronised hosts drift apart; cheap next to a day-long job TTL. */
    static final Duration MARGIN = Duration.ofMinutes(5);

    MarkTtl(Duration ceiling) {
        this(ceiling, MARGIN);
    }

    /** The mark's TTL in ms, at least 1 (Redis refuses a TTL of 0). */
    long millis(Instant expiresAt, Instant now) {
        long ceilingMillis = Math.max(1, ceiling.toMillis());
        // Both checks come before the subtraction, so no expiry, however far off, overflows it.
        if (expiresAt == null || expiresAt.isAfter(now.plus(ceiling))) {
            return ceilingMillis;
        }
        Instant until = expiresAt.plus(margin);
        if (!until.isAfter(now)) {
            return 1; // long expired: no worker sends it any more
        }
        return Math.clamp(Duration.between(now, until).toMillis(), 1, ceilingMillis);
    }
}
