package dev.impush.model.event;

import dev.impush.model.Contract;
import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * A gateway's heartbeat on {@code im.gateways} (compacted, key = gateway id). Connections on a
 * gateway whose lease ran out count as down, so a crashed gateway never leaves users looking online.
 *
 * <p>The lease runs {@link #leaseSeconds()} from when the detector <em>receives</em> the heartbeat, not
 * from {@link #at()}: a gateway's clock may be off. {@code at} orders the heartbeats of one incarnation.
 *
 * @param incarnation optional: an id the gateway picks afresh at every start (a boot id, a UUID, its
 *                    start time). Connections reported under another incarnation of the same gateway id
 *                    are gone: a gateway that restarts does not revive the connections it lost.
 */
public record GatewayLease(int v, String type, String gatewayId, long leaseSeconds, Instant at, String incarnation)
        implements Contract {

    public static final String TYPE = "gateway";
    /** Longest lease a heartbeat may claim: a gateway heartbeats far more often than this. */
    public static final long MAX_LEASE_SECONDS = 3600;
    /** Longest incarnation id: a boot id or UUID is 36 characters. */
    public static final int MAX_INCARNATION_LENGTH = 64;

    public static GatewayLease of(String gatewayId, long leaseSeconds, Instant at) {
        return of(gatewayId, leaseSeconds, at, null);
    }

    public static GatewayLease of(String gatewayId, long leaseSeconds, Instant at, String incarnation) {
        return new GatewayLease(VERSION, TYPE, gatewayId, leaseSeconds, at, incarnation);
    }

    @Override
    public List<String> violations() {
        return new Violations().check(TYPE.equals(type), "type must be '" + TYPE + "'").required("gatewayId", gatewayId)
                .maxLength("gatewayId", gatewayId, ImEvent.MAX_ID_LENGTH).required("at", at).time("at", at)
                .range("leaseSeconds", leaseSeconds, 1, MAX_LEASE_SECONDS)
                .optionalText("incarnation", incarnation, MAX_INCARNATION_LENGTH).messages();
    }
}
