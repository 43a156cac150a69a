package dev.impush.model.event;

import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * The user muted or unmuted one conversation ({@link #conversationId()}), or everything when it
 * is absent. {@link #until()} ends a mute by itself (absent: until unmuted).
 */
public record MuteEvent(int v, String userId, String conversationId, boolean muted, Instant until, Instant at)
        implements ImEvent {
    @Override
    public List<String> violations() {
        return new Violations().required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .maxLength("conversationId", conversationId, MAX_ID_LENGTH)
                .required("at", at).time("at", at).time("until", until).messages();
    }
}
