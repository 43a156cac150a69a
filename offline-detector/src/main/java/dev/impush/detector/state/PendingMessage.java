package dev.impush.detector.state;

import dev.impush.model.event.MessageEvent;
import dev.impush.model.job.Notification;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A message handed to long connections and not yet acked, with a deadline per device (in the events'
 * time, see {@code AckClock}). Keeps what the push needs of the message, so it can be built without
 * another lookup: the preview only as long as a job carries it ({@link Notification#MAX_BODY_CHARS}).
 *
 * @param deadlines per device: when its ack is due
 * @param unrouted  the devices among them no {@code routed} has been seen for: with ack tracking
 *                  {@code routed} their deadline only ends the wait for one (no push); with
 *                  {@code message} they are pushed like the others. Values of earlier releases have
 *                  none: their deadlines all push, as they did then
 */
public record PendingMessage(MessageEvent message, Map<String, Instant> deadlines, Set<String> unrouted) {
    public PendingMessage {
        deadlines = deadlines == null ? Map.of() : Map.copyOf(deadlines);
        unrouted = unrouted == null ? Set.of() : Set.copyOf(unrouted);
    }

    /** A message with deadlines of an earlier release: every one of them pushes. */
    public PendingMessage(MessageEvent message, Map<String, Instant> deadlines) {
        this(message, deadlines, Set.of());
    }

    /** A message to track, without deadlines yet. */
    public static PendingMessage of(MessageEvent m) {
        return new PendingMessage(m.withPreviewAtMost(Notification.MAX_BODY_CHARS), Map.of(), Set.of());
    }

    /** An upper bound of the stored size: every character counted as 3 UTF-8 bytes, plus framing. */
    public int estimatedBytes() {
        MessageEvent m = message;
        int chars = length(m.messageId()) + length(m.userId()) + length(m.conversationId()) + length(m.senderId())
                + length(m.senderName()) + length(m.preview());
        for (String deviceId : deadlines.keySet()) {
            chars += deviceId.length();
        }
        for (String deviceId : unrouted) {
            chars += deviceId.length();
        }
        return 3 * chars + 64 + 16 * deadlines.size();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    /** Whether a {@code routed} was seen for the device (or the value predates the distinction). */
    public boolean routed(String deviceId) {
        return !unrouted.contains(deviceId);
    }

    /** The device's deadline set (or moved) to {@code deadline}; {@code routed}: a {@code routed} was seen for it. */
    public PendingMessage withDeadline(String deviceId, Instant deadline, boolean routed) {
        Map<String, Instant> next = new LinkedHashMap<>(deadlines);
        next.put(deviceId, deadline);
        Set<String> nextUnrouted = unrouted;
        if (routed == unrouted.contains(deviceId)) {
            nextUnrouted = new HashSet<>(unrouted);
            if (routed) {
                nextUnrouted.remove(deviceId);
            } else {
                nextUnrouted.add(deviceId);
            }
        }
        return new PendingMessage(message, next, nextUnrouted);
    }

    public PendingMessage without(String deviceId) {
        Map<String, Instant> next = new LinkedHashMap<>(deadlines);
        next.remove(deviceId);
        Set<String> nextUnrouted = unrouted;
        if (unrouted.contains(deviceId)) {
            nextUnrouted = new HashSet<>(unrouted);
            nextUnrouted.remove(deviceId);
        }
        return new PendingMessage(message, next, nextUnrouted);
    }
}
