package dev.impush.detector.processor;

import dev.impush.detector.logic.Liveness;
import dev.impush.detector.state.Connection;
import dev.impush.detector.state.UserConnections;
import java.time.Instant;

/** Whether a device's long connection is up: its recorded connection, judged by {@link Liveness} with its gateway's lease. */
final class Reachability {
    private final UserState state;
    private final Liveness liveness;

    Reachability(UserState state, Liveness liveness) {
        this.state = state;
        this.liveness = liveness;
    }

    boolean isLive(UserConnections connections, String deviceId, Instant now) {
        Connection c = connections.get(deviceId).orElse(null);
        return c != null && liveness.isLive(c, state.lease(c.gatewayId()), now);
    }
}
