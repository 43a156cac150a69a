package dev.impush.detector.state;

import java.time.Instant;

/**
 * A {@code routed} or {@code acked} read before the {@code message} it is about (the message comes
 * from another producer, which can be slower), remembered until {@code forgetAt} so the message still
 * finds it.
 *
 * @param routedAt when the message was routed to the device (the event's time), {@code null} when only acked
 * @param acked    the device acked the message
 * @param forgetAt when it is forgotten, in the events' time (the ack timeout after it was read)
 */
public record EarlyAck(String messageId, String deviceId, Instant routedAt, boolean acked, Instant forgetAt) {

    /** Whether this is about {@code messageId} on {@code deviceId}. */
    public boolean is(String messageId, String deviceId) {
        return this.messageId.equals(messageId) && this.deviceId.equals(deviceId);
    }

    /** Bytes it adds to the user's stored value, at most (3 per character, plus framing). */
    int estimatedBytes() {
        return 3 * (messageId.length() + deviceId.length()) + 32;
    }
}
