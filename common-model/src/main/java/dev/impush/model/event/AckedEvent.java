package dev.impush.model.event;

import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/** The app on {@link #deviceId()} acknowledged the message over its long connection. */
public record AckedEvent(int v, String messageId, String userId, String deviceId, Instant at)
        implements ImEvent {
    @Override
    public List<String> violations() {
        return new Violations().required("messageId", messageId).maxLength("messageId", messageId, MAX_ID_LENGTH)
                .required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("deviceId", deviceId).maxLength("deviceId", deviceId, MAX_ID_LENGTH)
                .required("at", at).time("at", at).messages();
    }
}
