package dev.impush.model.event;

import dev.impush.model.Priority;
import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/** A chat message for one recipient ({@link #userId()}). */
public record MessageEvent(
        int v,
        String messageId,
        String userId,
        String conversationId,
        ConversationType conversationType,
        String senderId,
        String senderName,
        String preview,
        boolean mentioned,
        Integer badge,
        Instant sentAt,
        long ttlSeconds,
        Priority priority,
        boolean silent) implements ImEvent {

    /** Longest preview accepted on the topic; rendering trims further to each vendor's limit. */
    public static final int MAX_PREVIEW_LENGTH = 8192;

    public enum ConversationType {
        @com.fasterxml.jackson.annotation.JsonProperty("direct") DIRECT,
        @com.fasterxml.jackson.annotation.JsonProperty("group") GROUP
    }

    @Override
    public List<String> violations() {
        return new Violations()
                .required("messageId", messageId).maxLength("messageId", messageId, MAX_ID_LENGTH)
                .required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("conversationId", conversationId)
                .maxLength("conversationId", conversationId, MAX_ID_LENGTH)
                .required("sentAt", sentAt)
                .maxLength("preview", preview, MAX_PREVIEW_LENGTH)
                .maxLength("senderName", senderName, MAX_ID_LENGTH)
                .check(ttlSeconds >= 0, "ttlSeconds must not be negative")
                .check(badge == null || badge >= 0, "badge must not be negative")
                .messages();
    }

    /** The priority to push with: {@code high} unless the platform said otherwise. */
    public Priority priorityOrDefault() {
        return priority == null ? Priority.HIGH : priority;
    }
}
