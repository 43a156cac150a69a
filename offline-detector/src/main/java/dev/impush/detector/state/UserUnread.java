package dev.impush.detector.state;

import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.ReadEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One user's unread messages by conversation, for the badge: raised by messages, lowered by
 * {@code read} events. Immutable. At most {@link #MAX_CONVERSATIONS} conversations are kept (the one
 * whose last message is oldest goes first), so the value stays far below a Kafka record whatever the input.
 */
public record UserUnread(Map<String, Unread> byConversation) {
    public static final int MAX_CONVERSATIONS = 200;
    public static final UserUnread NONE = new UserUnread(Map.of());

    /**
     * A conversation's unread messages.
     *
     * @param count  how many
     * @param lastAt the {@code sentAt} of the latest
     * @param recent the ids of the latest few, so a message the platform sends again counts once
     */
    public record Unread(int count, Instant lastAt, List<String> recent) {
        static final int RECENT = 4;

        public Unread {
            recent = List.copyOf(recent);
        }
    }

    public UserUnread {
        byConversation = byConversation == null ? Map.of() : Map.copyOf(byConversation);
    }

    public static UserUnread orNone(UserUnread stored) {
        return stored == null ? NONE : stored;
    }

    public boolean isEmpty() {
        return byConversation.isEmpty();
    }

    /** The badge: unread messages over all conversations, at most {@link MessageEvent#MAX_BADGE}. */
    public int total() {
        long sum = 0;
        for (Unread u : byConversation.values()) {
            sum += u.count();
        }
        return (int) Math.min(sum, MessageEvent.MAX_BADGE);
    }

    /** With {@code m} counted; empty when it was counted already (the platform sent it again). */
    public Optional<UserUnread> count(MessageEvent m) {
        Unread known = byConversation.get(m.conversationId());
        if (known != null && known.recent().contains(m.messageId())) {
            return Optional.empty();
        }
        List<String> recent = new ArrayList<>(Unread.RECENT);
        recent.add(m.messageId());
        if (known != null) {
            recent.addAll(known.recent().subList(0, Math.min(known.recent().size(), Unread.RECENT - 1)));
        }
        Instant lastAt = known == null || m.sentAt().isAfter(known.lastAt()) ? m.sentAt() : known.lastAt();
        Map<String, Unread> next = new HashMap<>(byConversation);
        next.put(m.conversationId(), new Unread(known == null ? 1 : known.count() + 1, lastAt, recent));
        if (next.size() > MAX_CONVERSATIONS) {
            next.entrySet().stream().filter(e -> !e.getKey().equals(m.conversationId()))
                    .min(Comparator.comparing(e -> e.getValue().lastAt()))
                    .ifPresent(oldest -> next.remove(oldest.getKey()));
        }
        return Optional.of(new UserUnread(next));
    }

    /**
     * After {@code e}: the conversation's count is the platform's {@code unread} when it sent one, else
     * none left when nothing newer than {@code readUpTo} arrived. Empty when nothing changes (a partial
     * read without {@code unread}: which of the messages were read is not known here).
     */
    public Optional<UserUnread> read(ReadEvent e) {
        Unread known = byConversation.get(e.conversationId());
        if (known == null) {
            return Optional.empty();
        }
        Map<String, Unread> next = new HashMap<>(byConversation);
        if (e.unread() != null && e.unread() > 0) {
            next.put(e.conversationId(), new Unread(e.unread(), known.lastAt(), known.recent()));
        } else if (e.unread() != null || !e.readUpToOrAt().isBefore(known.lastAt())) {
            next.remove(e.conversationId());
        } else {
            return Optional.empty();
        }
        return Optional.of(new UserUnread(next));
    }
}
