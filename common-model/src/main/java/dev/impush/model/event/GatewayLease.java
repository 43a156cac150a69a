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

    public static GatewayLease of(String gatewayId, long leaseSeconds, Instant at) {
        return new GatewayLease(VERSION, TYPE, gatewayId, leaseSeconds, at);
    }

    public Instant expiresAt() {
        return at.plusSeconds(leaseSeconds);
    }

    @Override
    public List<String> violations() {
        return new Violations().check(TYPE.equals(type), "type must be '" + TYPE + "'").required("gatewayId", gatewayId).required("at", at)
                .check(leaseSeconds > 0, "leaseSeconds must be positive").messages();
    }
}
