package dev.impush.model.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/** {@link #deviceId()} connected to or disconnected from gateway {@link #gatewayId()}. */
public record PresenceEvent(int v, String userId, String deviceId, State state, String gatewayId, Instant at)
        implements ImEvent {

    public enum State {
        @JsonProperty("online") ONLINE,
        @JsonProperty("offline") OFFLINE
    }

    @Override
    public List<String> violations() {
        return new Violations().required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("deviceId", deviceId).maxLength("deviceId", deviceId, MAX_ID_LENGTH)
                .maxLength("gatewayId", gatewayId, MAX_ID_LENGTH)
                .required("state", state).required("at", at).time("at", at)
                .check(state != State.ONLINE || gatewayId != null, "gatewayId is required when online")
                .messages();
    }
}
