package dev.impush.worker.dedupe;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a mark set lives in Redis. A mark only has to outlive its job: past {@code expiresAt}
 * the job is dropped as expired wherever it turns up again (redelivery, retry tier, replay). A set
 * holds the marks of jobs expiring in one hour ({@link dev.impush.model.dedupe.DedupeKey#markAnchor}),
 * so it lives until that hour ends plus {@code margin} (for clock skew between the hosts), and at
 * most {@code ceiling} from now.
 *
 * @param ceiling the longest a mark lives (IMPUSH_DEDUPE_SENT_TTL_MS)
 * @param margin  added to the end of the set's hour
 */
record MarkTtl(Duration ceiling, Duration margin) {
    /** Far more than NTP-synchronised hosts drift apart. */
    static final Duration MARGIN = Duration.ofMinutes(5);

    MarkTtl(Duration ceiling) {
        this(ceiling, MARGIN);
    }

    /** The TTL in ms, at least 1 (Redis refuses a TTL of 0), of a mark set whose hour ends at {@code hourEnd}. */
    long millis(Instant hourEnd, Instant now) {
        long ceilingMillis = Math.max(1, ceiling.toMillis());
        // Both checks come before the subtraction, so no hour, however far off, overflows it.
        if (hourEnd.isAfter(now.plus(ceiling))) {
            return ceilingMillis;
        }
        Instant until = hourEnd.plus(margin);
        if (!until.isAfter(now)) {
            return 1; // long expired: no worker sends it any more
        }
        return Math.clamp(Duration.between(now, until).toMillis(), 1, ceilingMillis);
    }
}
