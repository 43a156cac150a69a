package dev.impush.detector.logic;

import dev.impush.detector.state.Connection;
import dev.impush.detector.state.ReceivedLease;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether a recorded connection can still deliver. A gateway that misses its lease takes its
 * connections down with it, so a crashed gateway never leaves its users looking online; a gateway
 * that restarted (a new incarnation) does not revive the connections it lost.
 *
 * <p>A connection the gateway's current incarnation vouches for (both incarnations known and equal,
 * lease running) lives as long as the lease: that process still runs and reports the connection's
 * end. Any other connection (gateway without a lease, or incarnation unknown) also ends
 * {@code maxAge} after it was reported, unless a newer presence event refreshes it: otherwise a
 * connection whose offline event never came would count as live forever.
 */
public final class Liveness {
    private final boolean requireLease;
    private final Duration maxAge;

    /**
     * @param requireLease whether a gateway without any lease record counts as down
     * @param maxAge       how long a connection not vouched for by its gateway's incarnation counts as live
     */
    public Liveness(boolean requireLease, Duration maxAge) {
        this.requireLease = requireLease;
        this.maxAge = Objects.requireNonNull(maxAge);
    }

    /**
     * @param connection the recorded connection, {@code null} when there is none
     * @param lease      its gateway's lease, {@code null} when unknown
     */
    public boolean isLive(Connection connection, ReceivedLease lease, Instant now) {
        if (connection == null) {
            return false;
        }
        if (lease == null) {
            return !requireLease && isYoung(connection, now);
        }
        if (!now.isBefore(lease.expiresAt())) {
            return false;
        }
        if (connection.incarnation() != null && lease.incarnation() != null) {
            return connection.incarnation().equals(lease.incarnation());
        }
        return isYoung(connection, now);
    }

    /** The incarnation a new connection on {@code lease}'s gateway belongs to, when its event names none. */
    public String currentIncarnation(ReceivedLease lease, Instant now) {
        // an expired lease's incarnation may be one that is gone: a fresh connection on a restarted
        // gateway must not be tied to it, so the incarnation is unknown
        return lease != null && now.isBefore(lease.expiresAt()) ? lease.incarnation() : null;
    }

    private boolean isYoung(Connection connection, Instant now) {
        // compared as a duration: no overflow for any stored instant
        return Duration.between(connection.ageFrom(), now).compareTo(maxAge) < 0;
    }
}
