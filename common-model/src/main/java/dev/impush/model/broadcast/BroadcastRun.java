package dev.impush.model.broadcast;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Duration;
import java.time.Instant;

/**
 * A broadcast's progress on one partition of the detector: its store {@value #STORE} holds it, and
 * commits it with the jobs it emitted in one exactly-once transaction, so a restarted task resumes
 * after the last user it emitted for, never before. The store's changelog
 * ({@link #changelog(String)}) is also what {@code scripts/broadcast status} reads. Small on purpose,
 * as it is written at every step: the broadcast itself is stored once, apart.
 *
 * @param cursor      the last user walked (audiences {@code all} and {@code tag}), {@code null} before the first
 * @param nextUser    the next index into the user list (audience {@code users})
 * @param planned     users this partition expects to walk: exact for a user list, else the store's
 *                    estimate of its keys when the broadcast started (for a progress bar, not a promise)
 * @param users       users walked on this partition
 * @param devices     devices emitted for (each in a job)
 * @param skipped     devices of the app passed over: muted users, and online devices of an {@code offlineOnly} broadcast
 */
public record BroadcastRun(
        String broadcastId,
        Status status,
        Instant startAt,
        Instant expiresAt,
        String cursor,
        int nextUser,
        long planned,
        long users,
        long devices,
        long skipped,
        Instant updatedAt) {

    /** The detector's store of these, by broadcast id. */
    public static final String STORE = "detector-broadcasts";

    /** The changelog topic of {@link #STORE} for the detector application {@code applicationId}. */
    public static String changelog(String applicationId) {
        return applicationId + "-" + STORE + "-changelog";
    }

    public enum Status {
        /** Emitting (or waiting for its start time). */
        ACTIVE,
        /** Every user of the audience on this partition was walked. */
        COMPLETED,
        CANCELLED,
        /** Its lifetime ended before the walk did. */
        EXPIRED
    }

    public static BroadcastRun start(Broadcast b, long planned, Instant now, Duration defaultTtl) {
        Instant start = b.at() != null ? b.at() : now;
        Instant expires = start.plusSeconds(b.ttlSeconds() > 0 ? b.ttlSeconds() : defaultTtl.toSeconds());
        Status status = now.isBefore(expires) ? Status.ACTIVE : Status.EXPIRED;
        return new BroadcastRun(b.broadcastId(), status, start, expires, null, 0, planned, 0, 0, 0, now);
    }

    /** A cancel read before its broadcast: remembered, so that broadcast never starts. */
    public static BroadcastRun cancelledUnseen(String broadcastId, Instant now) {
        return new BroadcastRun(broadcastId, Status.CANCELLED, null, null, null, 0, 0, 0, 0, 0, now);
    }

    @JsonIgnore
    public boolean ended() {
        return status != Status.ACTIVE;
    }

    public BroadcastRun ended(Status how, Instant now) {
        return new BroadcastRun(broadcastId, how, startAt, expiresAt, cursor, nextUser, planned, users,
                devices, skipped, now);
    }

    /** After a step that walked to {@code cursor} / {@code nextUser}. */
    public BroadcastRun advanced(String cursor, int nextUser, long users, long devices, long skipped, boolean walkedAll,
                          Instant now) {
        return new BroadcastRun(broadcastId, walkedAll ? Status.COMPLETED : status, startAt, expiresAt,
                cursor, nextUser, planned, this.users + users, this.devices + devices, this.skipped + skipped, now);
    }
}
