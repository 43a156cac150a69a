package dev.impush.model.event;

import dev.impush.model.Contract;
import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * A gateway's heartbeat on {@code im.gateways} (compacted, key = gateway id). Connections on a
 * gateway whose lease ran out count as down, so a crashed gateway never leaves users looking online.
 */
public record GatewayLease(int v, String type, String gatewayId, long leaseSeconds, Instant at) implements Contract {

    public static final String TYPE = "gateway";
    /** Longest lease a heartbeat may claim: a gateway heartbeats far more often than this. */
    public static final long MAX_LEASE_SECONDS = 3600;

    public static GatewayLease of(String gatewayId, long leaseSeconds, Instant at) {
        return new GatewayLease(VERSION, TYPE, gatewayId, leaseSeconds, at);
    }

    /** When the lease runs out; bounded even for a lease stored by a release that did not check it. */
    public Instant expiresAt() {
        return at.plusSeconds(Math.min(Math.max(leaseSeconds, 0), MAX_LEASE_SECONDS));
    }

    @Override
    public List<String> violations() {
        return new Violations().check(TYPE.equals(type), "type must be '" + TYPE + "'").required("gatewayId", gatewayId)
                .maxLength("gatewayId", gatewayId, ImEvent.MAX_ID_LENGTH).required("at", at).time("at", at)
                .range("leaseSeconds", leaseSeconds, 1, MAX_LEASE_SECONDS).messages();
    }
}
