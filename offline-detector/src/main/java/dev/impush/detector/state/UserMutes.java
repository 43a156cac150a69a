package dev.impush.detector.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.impush.model.event.MuteEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One user's mutes, by scope: a conversation id, or {@link #ALL} for everything. Immutable.
 * Expired mutes are dropped whenever the value is rewritten, so it does not grow without bound.
 */
public record UserMutes(Map<String, Mute> byScope) {
    /** The scope of a mute of everything (a conversation id is never empty). */
    public static final String ALL = "";
    public static final UserMutes NONE = new UserMutes(Map.of());

    public UserMutes {
        byScope = byScope == null ? Map.of() : Map.copyOf(byScope);
    }

    public static UserMutes orNone(UserMutes stored) {
        return stored == null ? NONE : stored;
    }

    /** True if a message in {@code conversationId} must not be pushed at {@code now}. */
    public boolean mutes(String conversationId, Instant now) {
        Mute all = byScope.get(ALL);
        if (all != null && all.isActive(now)) {
            return true;
        }
        Mute conversation = conversationId == null ? null : byScope.get(conversationId);
        return conversation != null && conversation.isActive(now);
    }

    /**
     * Applies a mute or unmute, ignoring one older than what is recorded for its scope. A new scope
     * past {@code max} (after expired mutes are gone) replaces the mute set longest ago.
     */
    public UserMutes apply(MuteEvent e, Instant now, int max, Runnable evicted) {
        String scope = e.conversationId() == null || e.conversationId().isBlank() ? ALL : e.conversationId();
        Mute current = byScope.get(scope);
        if (current != null && current.at().isAfter(e.at())) {
            return this;
        }
        Map<String, Mute> next = new LinkedHashMap<>();
        byScope.forEach((k, m) -> {
            if (m.isActive(now)) {
                next.put(k, m);
            }
        });
        if (e.muted()) {
            if (!next.containsKey(scope)) {
                Bounded.makeRoom(next, max, java.util.Comparator.comparing(Mute::at), evicted);
            }
            next.put(scope, new Mute(e.until(), e.at()));
        } else {
            next.remove(scope);
        }
        return new UserMutes(next);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return byScope.isEmpty();
    }
}
