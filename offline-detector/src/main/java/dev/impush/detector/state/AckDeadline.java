package dev.impush.detector.state;

import java.time.Instant;

/**
 * An entry of the ack-deadline index: the device whose ack for the message is due at the instant
 * encoded in its key. The index lets the punctuator visit only what is due, instead of scanning
 * every pending message every second.
 *
 * <p>Keys sort by deadline: 13 zero-padded digits of epoch millis, then the ids, each
 * length-prefixed so that ids containing the separator cannot collide.
 */
public record AckDeadline(String userId, String messageId, String deviceId) {

    public String key(Instant deadline) {
        return millis(deadline.toEpochMilli()) + "|" + userId.length() + ":" + userId + "|" + messageId.length() + ":"
                + messageId + "|" + deviceId;
    }

    /** Inclusive upper bound of a range scan that covers every key with a deadline at or before {@code now}. */
    public static String upperBound(Instant now) {
        // "<now+1>" sorts after "<now>|…" and before "<now+1>|…"
        return millis(now.toEpochMilli() + 1);
    }

    /** Inclusive lower bound of every key due at or after {@code epochMillis}. */
    public static String lowerBound(long epochMillis) {
        return millis(epochMillis);
    }

    private static String millis(long epochMillis) {
        return String.format("%013d", Math.max(0, epochMillis));
    }
}
