package dev.impush.detector.state;

import java.time.Instant;

/**
 * A mute of one scope (a conversation, or everything).
 *
 * @param until when it ends by itself; {@code null} = until unmuted
 * @param at    when the user set it, to order mute and unmute events
 */
public record Mute(Instant until, Instant at) {
    public boolean isActive(Instant now) {
        return until == null || now.isBefore(until);
    }
}
