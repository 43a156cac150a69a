package dev.impush.detector.broadcast;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.impush.model.broadcast.Broadcast;
import java.time.Duration;
import java.time.Instant;

/**
 * A broadcast's progress on one partition: stored with the jobs it emitted in one exactly-once
 * transaction, so a restarted task resumes after the last user it emitted for, never before.
 *
 * @param broadcast   what to send; {@code null} for a broadcast cancelled before it arrived
 * @param cursor      the last user walked (audiences {@code all} and {@code tag}), {@code null} before the first
 * @param nextUser    the next index into the user list (audience {@code users})
 * @param users       users walked on this partition
 * @param devices     devices emitted for (each in a job)
 * @param skipped     devices of the app passed over: muted users, and online devices of an {@code offlineOnly} broadcast
 */
public record BroadcastRun(
        String broadcastId,
        Broadcast broadcast,
        Status status,
        Instant startAt,
        Instant expiresAt,
        String cursor,
        int nextUser,
        long users,
        long devices,
        long skipped,
        Instant updatedAt) {

    public enum Status {
        /** Emitting (or waiting for its start time). */
        ACTIVE,
        /** Every user of the audience on this partition was walked. */
        COMPLETED,
        CANCELLED,
        /** Its lifetime ended before the walk did. */
        EXPIRED
    }

    static BroadcastRun start(Broadcast b, Instant now, Duration defaultTtl) {
        Instant start = b.at() != null ? b.at() : now;
        Instant expires = start.plusSeconds(b.ttlSeconds() > 0 ? b.ttlSeconds() : defaultTtl.toSeconds());
        Status status = now.isBefore(expires) ? Status.ACTIVE : Status.EXPIRED;
        return new BroadcastRun(b.broadcastId(), b, status, start, expires, null, 0, 0, 0, 0, now);
    }

    /** A cancel read before its broadcast: remembered, so that broadcast never starts. */
    static BroadcastRun cancelledUnseen(String broadcastId, Instant now) {
        return new BroadcastRun(broadcastId, null, Status.CANCELLED, null, null, null, 0, 0, 0, 0, now);
    }

    @JsonIgnore
    public boolean ended() {
        return status != Status.ACTIVE;
    }

    BroadcastRun ended(Status how, Instant now) {
        return new BroadcastRun(broadcastId, broadcast, how, startAt, expiresAt, cursor, nextUser, users, devices,
                skipped, now);
    }

    /** After a step that walked to {@code cursor} / {@code nextUser}. */
    BroadcastRun advanced(String cursor, int nextUser, long users, long devices, long skipped, boolean walkedAll,
                          Instant now) {
        return new BroadcastRun(broadcastId, broadcast, walkedAll ? Status.COMPLETED : status, startAt, expiresAt,
                cursor, nextUser, this.users + users, this.devices + devices, this.skipped + skipped, now);
    }
}
