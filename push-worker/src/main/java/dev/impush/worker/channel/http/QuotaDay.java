package dev.impush.worker.channel.http;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** When a vendor's daily quota starts again: every vendor resets it at midnight in its own zone. */
public final class QuotaDay {
    private QuotaDay() {}

    /** The first midnight in {@code zone} strictly after {@code now}'s local date began. */
    public static Instant nextMidnight(Instant now, ZoneId zone) {
        return LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant();
    }
}
