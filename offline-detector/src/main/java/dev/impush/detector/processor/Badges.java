package dev.impush.detector.processor;

import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.ReadEvent;

/**
 * The server-side unread badge: messages the platform sent without a {@code badge} of its own are
 * counted per conversation, {@code read} events lower the count, and such a message carries the
 * user's total unread as its badge (on its first push, its coalesced update and its zombie push).
 * A platform that counts itself sends {@code badge}, which wins: those messages are not counted.
 */
final class Badges {
    private final boolean enabled;
    private final UserState state;

    Badges(boolean enabled, UserState state) {
        this.enabled = enabled;
        this.state = state;
    }

    /** {@code m} with the user's unread count as its badge, counted; as it is when it has a badge. */
    MessageEvent count(MessageEvent m) {
        if (!enabled || m.badge() != null) {
            return m;
        }
        var unread = state.unread(m.userId());
        var next = unread.count(m);
        next.ifPresent(value -> state.put(m.userId(), value));
        return m.withBadge(next.orElse(unread).total());
    }

    /** Lowers the count for {@code e}; returns the user's unread count left. */
    int read(ReadEvent e) {
        var unread = state.unread(e.userId());
        var next = unread.read(e);
        next.ifPresent(value -> state.put(e.userId(), value));
        return next.orElse(unread).total();
    }
}
