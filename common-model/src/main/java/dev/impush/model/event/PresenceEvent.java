package dev.impush.model.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * {@link #deviceId()} connected to or disconnected from gateway {@link #gatewayId()}.
 *
 * @param incarnation optional: the gateway's incarnation (as on its leases, {@link GatewayLease#incarnation()})
 *                    that holds the connection. Without it the detector takes the incarnation of the
 *                    gateway's latest lease when it records the connection.
 */
public record PresenceEvent(int v, String userId, String deviceId, State state, String gatewayId, Instant at,
                            String incarnation) implements ImEvent {

    public enum State {
        @JsonProperty("online") ONLINE,
        @JsonProperty("offline") OFFLINE
    }

    /** An event without an incarnation. */
    public PresenceEvent(int v, String userId, String deviceId, State state, String gatewayId, Instant at) {
        this(v, userId, deviceId, state, gatewayId, at, null);
    }

    @Override
    public List<String> violations() {
        return new Violations().required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("deviceId", deviceId).maxLength("deviceId", deviceId, MAX_ID_LENGTH)
                .maxLength("gatewayId", gatewayId, MAX_ID_LENGTH)
                .required("state", state).required("at", at).time("at", at)
                .check(state != State.ONLINE || gatewayId != null, "gatewayId is required when online")
                .optionalText("incarnation", incarnation, GatewayLease.MAX_INCARNATION_LENGTH)
                .messages();
    }
}
