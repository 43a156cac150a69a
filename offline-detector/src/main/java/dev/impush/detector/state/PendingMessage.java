package dev.impush.detector.state;

import dev.impush.model.event.MessageEvent;
import dev.impush.model.job.Notification;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message handed to long connections and not yet acked, with the deadline per device after
 * which the connection is presumed a zombie and the device is pushed. Keeps what the push needs of
 * the message, so it can be built without another lookup: the preview only as long as a job
 * carries it ({@link Notification#MAX_BODY_CHARS}).
 */
public record PendingMessage(MessageEvent message, Map<String, Instant> deadlines) {
    public PendingMessage {
        deadlines = deadlines == null ? Map.of() : Map.copyOf(deadlines);
    }

    /** A message to track, without deadlines yet. */
    public static PendingMessage of(MessageEvent m) {
        return new PendingMessage(m.withPreviewAtMost(Notification.MAX_BODY_CHARS), Map.of());
    }

    /** An upper bound of the stored size: every character counted as 3 UTF-8 bytes, plus framing. */
    public int estimatedBytes() {
        MessageEvent m = message;
        int chars = length(m.messageId()) + length(m.userId()) + length(m.conversationId()) + length(m.senderId())
                + length(m.senderName()) + length(m.preview());
        for (String deviceId : deadlines.keySet()) {
            chars += deviceId.length();
        }
        return 3 * chars + 64 + 16 * deadlines.size();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    public PendingMessage withDeadline(String deviceId, Instant deadline) {
        Map<String, Instant> next = new LinkedHashMap<>(deadlines);
        next.put(deviceId, deadline);
        return new PendingMessage(message, next);
    }

    public PendingMessage without(String deviceId) {
        Map<String, Instant> next = new LinkedHashMap<>(deadlines);
        next.remove(deviceId);
        return new PendingMessage(message, next);
    }
}
