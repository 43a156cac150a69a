package dev.impush.detector.logic;

import dev.impush.detector.state.Connection;
import dev.impush.model.event.GatewayLease;
import java.time.Instant;

/**
 * Whether a recorded connection can still deliver. A gateway that misses its lease takes its
 * connections down with it, so a crashed gateway never leaves its users looking online.
 */
public final class Liveness {
    private final boolean requireLease;

    /** @param requireLease whether a gateway without any lease record counts as down */
    public Liveness(boolean requireLease) {
        this.requireLease = requireLease;
    }

    /**
     * @param connection the recorded connection, {@code null} when there is none
     * @param lease      its gateway's last lease, {@code null} when unknown
     */
    public boolean isLive(Connection connection, GatewayLease lease, Instant now) {
        if (connection == null) {
            return false;
        }
        if (lease == null) {
            return !requireLease;
        }
        return now.isBefore(lease.expiresAt());
    }
}
