package dev.impush.model.event;

import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * The user read {@link #conversationId()} (on any device) up to {@link #readUpTo()}, the time of the
 * last message read ({@code at} when absent). Lowers the unread count the detector keeps for badges:
 * the platform's own count of what stays unread, {@link #unread()}, when it sends one; else the
 * conversation counts as read when nothing newer than {@code readUpTo} arrived. {@link #deviceId()}, the
 * device the user read on (optional), is spared the push that clears the conversation's notifications
 * on the user's other devices.
 */
public record ReadEvent(int v, String userId, String conversationId, Instant readUpTo, Integer unread, Instant at,
                        String deviceId) implements ImEvent {

    /** A read without the device it happened on. */
    public ReadEvent(int v, String userId, String conversationId, Instant readUpTo, Integer unread, Instant at) {
        this(v, userId, conversationId, readUpTo, unread, at, null);
    }

    @Override
    public List<String> violations() {
        return new Violations().required("userId", userId).maxLength("userId", userId, MAX_ID_LENGTH)
                .required("conversationId", conversationId).maxLength("conversationId", conversationId, MAX_ID_LENGTH)
                .required("at", at).time("at", at).time("readUpTo", readUpTo)
                .range("unread", unread == null ? 0 : unread, 0, MessageEvent.MAX_BADGE)
                .maxLength("deviceId", deviceId, MAX_ID_LENGTH).messages();
    }

    /** Up to when the conversation was read: {@link #readUpTo()}, else {@link #at()}. */
    public Instant readUpToOrAt() {
        return readUpTo != null ? readUpTo : at;
    }
}
