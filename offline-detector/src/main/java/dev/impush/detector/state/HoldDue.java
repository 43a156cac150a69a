package dev.impush.detector.state;

import java.time.Instant;

/**
 * An entry of the coalescing index: the window of {@code userId} in {@code conversationId} ends at
 * the instant encoded in its key, so the punctuator visits only the windows that are due. Keys sort
 * by time as {@link AckDeadline}'s do.
 */
public record HoldDue(String userId, String conversationId) {

    public String key(Instant windowEnd) {
        return AckDeadline.lowerBound(windowEnd.toEpochMilli()) + "|" + Hold.key(userId, conversationId);
    }
}
