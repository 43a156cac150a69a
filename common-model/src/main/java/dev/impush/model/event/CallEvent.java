package dev.impush.model.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * A call to {@link #userId()}: {@code invite} rings the user's unreachable devices (PushKit on iOS,
 * a high-priority data message on FCM, the vendors' IM class elsewhere); {@code cancel} (the caller
 * hung up, or someone answered) replaces the ringing notification with a missed call.
 *
 * @param ttlSeconds how long the invite may ring (0: {@link #DEFAULT_RING_SECONDS}); an invite older than
 *                   this is not pushed
 */
public record CallEvent(int v, String callId, String userId, Action action, String callerId, String callerName,
                        Media media, String conversationId, long ttlSeconds, Instant at) implements ImEvent {
    public static final long DEFAULT_RING_SECONDS = 30;
    public static final long MAX_RING_SECONDS = 300;

    public enum Action {
        @JsonProperty("invite") INVITE,
        @JsonProperty("cancel") CANCEL
    }

    public enum Media {
        @JsonProperty("audio") AUDIO,
        @JsonProperty("video") VIDEO
    }

    @Override
    public List<String> violations() {
        return new Violations().required("callId", callId).maxLength("callId", callId, MAX_ID_LENGTH)
                .required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("action", action).maxLength("callerId", callerId, MAX_ID_LENGTH)
                .maxLength("callerName", callerName, MAX_ID_LENGTH)
                .maxLength("conversationId", conversationId, MAX_ID_LENGTH)
                .range("ttlSeconds", ttlSeconds, 0, MAX_RING_SECONDS).required("at", at).time("at", at).messages();
    }

    /** How long the invite rings. */
    public long ringSeconds() {
        return ttlSeconds <= 0 ? DEFAULT_RING_SECONDS : ttlSeconds;
    }

    public Media mediaOrDefault() {
        return media == null ? Media.AUDIO : media;
    }
}
