package dev.impush.broadcast;

import dev.impush.model.broadcast.BroadcastRun;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;

/**
 * A broadcast's progress over every partition that reported it: the sum of the partitions'
 * {@link BroadcastRun}s, and its state as a whole (running while any partition runs).
 */
public record BroadcastProgress(String broadcastId, BroadcastRun.Status status, int partitions, long planned, long users,
                                long devices, long skipped, Instant startAt, Instant expiresAt, Instant updatedAt) {

    public static BroadcastProgress of(String broadcastId, Collection<BroadcastRun> runs) {
        BroadcastRun.Status status = runs.stream().map(BroadcastRun::status)
                .min(Comparator.comparingInt(BroadcastProgress::rank)).orElse(null);
        return new BroadcastProgress(broadcastId, status, runs.size(),
                runs.stream().mapToLong(BroadcastRun::planned).sum(), runs.stream().mapToLong(BroadcastRun::users).sum(),
                runs.stream().mapToLong(BroadcastRun::devices).sum(), runs.stream().mapToLong(BroadcastRun::skipped).sum(),
                runs.stream().map(BroadcastRun::startAt).filter(Objects::nonNull).findFirst().orElse(null),
                runs.stream().map(BroadcastRun::expiresAt).filter(Objects::nonNull).findFirst().orElse(null),
                runs.stream().map(BroadcastRun::updatedAt).max(Comparator.naturalOrder()).orElse(null));
    }

    /** Which state wins: a running partition makes the broadcast running; a cancel makes it cancelled. */
    private static int rank(BroadcastRun.Status s) {
        return switch (s) {
            case ACTIVE -> 0;
            case CANCELLED -> 1;
            case EXPIRED -> 2;
            case COMPLETED -> 3;
        };
    }

    /** Share of the audience walked, 0 to 1: 1 once every partition completed, else below 1. */
    public double fraction() {
        if (status == BroadcastRun.Status.COMPLETED) {
            return 1;
        }
        return planned <= 0 ? 0 : Math.min(0.99, (double) users / planned);
    }

    /** What {@code scripts/broadcast status} prints of the fan-out. */
    public String describe() {
        return String.format(Locale.ROOT, "broadcast %s: %s  %s%n  users walked %,d of about %,d on %d partition(s);"
                        + " devices emitted %,d; skipped %,d (muted, or online for offlineOnly)%n  started %s, expires %s,"
                        + " last progress %s", broadcastId, status.name().toLowerCase(Locale.ROOT), bar(30), users,
                planned, partitions, devices, skipped, startAt, expiresAt, updatedAt);
    }

    /** {@code [##########----------]  50%}. */
    public String bar(int width) {
        int filled = (int) Math.round(fraction() * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + Math.round(fraction() * 100) + "%";
    }
}
