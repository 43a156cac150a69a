package dev.impush.model.event;

import dev.impush.model.Priority;
import dev.impush.model.Violations;
import java.time.Instant;
import dev.impush.model.job.LocalizedText;
import java.util.ArrayList;
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
        boolean silent,
        String route,
        LocalizedText localized,
        boolean contentFree) implements ImEvent {

    /** Longest preview accepted on the topic; rendering trims further to each vendor's limit. */
    public static final int MAX_PREVIEW_LENGTH = 8192;
    /** Longest lifetime a message may ask for: FCM's own maximum (28 days). */
    public static final long MAX_TTL_SECONDS = 28L * 24 * 3600;
    /** Largest unread count accepted as a badge. */
    public static final int MAX_BADGE = 999_999;
    /** Longest deep link ({@link #route()}) accepted. */
    public static final int MAX_ROUTE_LENGTH = 1024;

    /** A message without a deep link. */
    public MessageEvent(int v, String messageId, String userId, String conversationId, ConversationType conversationType,
                        String senderId, String senderName, String preview, boolean mentioned, Integer badge,
                        Instant sentAt, long ttlSeconds, Priority priority, boolean silent) {
        this(v, messageId, userId, conversationId, conversationType, senderId, senderName, preview, mentioned, badge,
                sentAt, ttlSeconds, priority, silent, null, null, false);
    }

    public enum ConversationType {
        @com.fasterxml.jackson.annotation.JsonProperty("direct") DIRECT,
        @com.fasterxml.jackson.annotation.JsonProperty("group") GROUP
    }

    @Override
    public List<String> violations() {
        List<String> all = new ArrayList<>(localized == null ? List.of() : localized.violations("localized"));
        all.addAll(new Violations()
                .required("messageId", messageId).maxLength("messageId", messageId, MAX_ID_LENGTH)
                .required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("conversationId", conversationId)
                .maxLength("conversationId", conversationId, MAX_ID_LENGTH)
                .required("sentAt", sentAt).time("sentAt", sentAt)
                .maxLength("preview", preview, MAX_PREVIEW_LENGTH)
                .maxLength("senderId", senderId, MAX_ID_LENGTH)
                .maxLength("senderName", senderName, MAX_ID_LENGTH)
                .range("ttlSeconds", ttlSeconds, 0, MAX_TTL_SECONDS)
                .range("badge", badge == null ? 0 : badge, 0, MAX_BADGE)
                .optionalText("route", route, MAX_ROUTE_LENGTH)
                .messages());
        return all;
    }

    /** The same message with its preview cut to {@code maxChars} (never between the halves of a surrogate pair). */
    public MessageEvent withPreviewAtMost(int maxChars) {
        if (preview == null || preview.length() <= maxChars) {
            return this;
        }
        int end = Character.isHighSurrogate(preview.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return new MessageEvent(v, messageId, userId, conversationId, conversationType, senderId, senderName,
                preview.substring(0, end), mentioned, badge, sentAt, ttlSeconds, priority, silent, route, localized,
                contentFree);
    }

    /** The same message with {@code badge} as its badge. */
    public MessageEvent withBadge(int badge) {
        return new MessageEvent(v, messageId, userId, conversationId, conversationType, senderId, senderName, preview,
                mentioned, badge, sentAt, ttlSeconds, priority, silent, route, localized, contentFree);
    }

    /** The priority to push with: {@code high} unless the platform said otherwise. */
    public Priority priorityOrDefault() {
        return priority == null ? Priority.HIGH : priority;
    }
}
