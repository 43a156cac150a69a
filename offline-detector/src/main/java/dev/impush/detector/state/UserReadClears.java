package dev.impush.detector.state;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * When each of a user's conversations last had its notifications cleared on the user's other
 * devices, so a reading spree clears each conversation at most once per interval. Immutable;
 * entries older than the interval are dropped whenever the value is rewritten.
 */
public record UserReadClears(Map<String, Instant> byConversation) {
    public static final UserReadClears NONE = new UserReadClears(Map.of());

    public UserReadClears {
        byConversation = byConversation == null ? Map.of() : Map.copyOf(byConversation);
    }

    public static UserReadClears orNone(UserReadClears stored) {
        return stored == null ? NONE : stored;
    }

    public boolean isEmpty() {
        return byConversation.isEmpty();
    }

    /** Whether {@code conversationId} was cleared less than {@code interval} before {@code now}. */
    public boolean clearedWithin(String conversationId, Instant now, Duration interval) {
        Instant last = byConversation.get(conversationId);
        return last != null && now.isBefore(last.plus(interval));
    }

    /** With {@code conversationId} cleared at {@code now}, and what is older than {@code interval} gone. */
    public UserReadClears cleared(String conversationId, Instant now, Duration interval) {
        Map<String, Instant> next = new HashMap<>();
        byConversation.forEach((c, at) -> {
            if (now.isBefore(at.plus(interval))) {
                next.put(c, at);
            }
        });
        next.put(conversationId, now);
        return new UserReadClears(next);
    }
}
