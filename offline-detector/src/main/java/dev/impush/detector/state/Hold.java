package dev.impush.detector.state;

import dev.impush.model.event.MessageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A conversation's coalescing window for one user: its first message was pushed (with
 * {@link #collapseId}); messages since are held until {@link #windowEnd} and then go out as one update
 * with the same collapse id, which replaces that notification on the device. Immutable.
 *
 * @param collapseId the collapse id of the conversation's pushed notification, which updates replace
 * @param windowEnd  when the held messages go out (and, if none is held then, the window closes)
 * @param count      messages pushed or held since the window opened (the update says "count new messages")
 * @param senders    distinct sender names since the window opened, the latest first, at most {@link #MAX_SENDERS}
 * @param latest     the latest held message, {@code null} when nothing is held
 * @param devices    the devices that were offline for at least one held message
 */
public record Hold(String collapseId, Instant windowEnd, int count, List<String> senders, MessageEvent latest,
                   Set<String> devices) {
    public static final int MAX_SENDERS = 32;

    public Hold {
        senders = List.copyOf(senders);
        devices = Set.copyOf(devices);
    }

    /** The window opened by a message pushed at once. */
    public static Hold open(MessageEvent first, String collapseId, Instant windowEnd) {
        return new Hold(collapseId, windowEnd, 1, sendersWith(List.of(), first), null, Set.of());
    }

    /** The store key of {@code userId}'s window in {@code conversationId}: ids length-prefixed, so none collide. */
    public static String key(String userId, String conversationId) {
        return userId.length() + ":" + userId + "|" + conversationId;
    }

    public boolean holding() {
        return latest != null;
    }

    /** This window with {@code m} held for {@code deviceIds} as well. */
    public Hold hold(MessageEvent m, Collection<String> deviceIds) {
        Set<String> all = new LinkedHashSet<>(devices);
        all.addAll(deviceIds);
        return new Hold(collapseId, windowEnd, count + 1, sendersWith(senders, m), m, all);
    }

    /**
     * This window without its latest message (recalled): nothing is held, so at its end it closes,
     * unless a message is held since, whose update then counts all that came and goes to all the
     * devices held for. Messages held before the recalled one get no update of their own.
     */
    public Hold withoutLatest() {
        return new Hold(collapseId, windowEnd, count, senders, null, devices);
    }

    /** Nothing held, the next window ending at {@code end}: a storm that goes on updates once per window. */
    public Hold next(Instant end) {
        return new Hold(collapseId, end, count, senders, null, Set.of());
    }

    private static List<String> sendersWith(List<String> senders, MessageEvent m) {
        String name = m.senderName() != null ? m.senderName() : m.senderId();
        if (name == null) {
            return senders;
        }
        List<String> next = new ArrayList<>(Math.min(senders.size() + 1, MAX_SENDERS));
        next.add(name);
        for (String s : senders) {
            if (!s.equals(name) && next.size() < MAX_SENDERS) {
                next.add(s);
            }
        }
        return next;
    }
}
