package dev.impush.detector.state;

import dev.impush.model.event.GatewayLease;
import java.time.Instant;

/**
 * A gateway's lease as the detector took it in: the value of the global gateway-lease store.
 *
 * @param gatewayId    the gateway
 * @param leaseSeconds as the heartbeat claimed it
 * @param at           the heartbeat's own time, on the gateway's clock: it only orders the heartbeats of
 *                     one incarnation, never decides expiry
 * @param incarnation  the gateway's incarnation, {@code null} when it sends none
 * @param receivedAt   when the detector received the heartbeat, on its own clock (see
 *                     {@link dev.impush.detector.logic.LeaseReceipt}): the lease runs from here
 */
public record ReceivedLease(String gatewayId, long leaseSeconds, Instant at, String incarnation, Instant receivedAt) {

    public ReceivedLease {
        // A value stored by an earlier release is the heartbeat as the gateway wrote it, judged by its
        // own at: so it still is, until the gateway's next heartbeat replaces it.
        if (receivedAt == null) {
            receivedAt = at;
        }
    }

    public static ReceivedLease of(GatewayLease lease, Instant receivedAt) {
        return new ReceivedLease(lease.gatewayId(), lease.leaseSeconds(), lease.at(), lease.incarnation(), receivedAt);
    }

    /** When the lease runs out; the lease is bounded even for one stored by a release that did not check it. */
    public Instant expiresAt() {
        return receivedAt.plusSeconds(Math.min(Math.max(leaseSeconds, 0), GatewayLease.MAX_LEASE_SECONDS));
    }
}
