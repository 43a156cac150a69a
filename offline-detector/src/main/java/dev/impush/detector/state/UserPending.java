package dev.impush.detector.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One user's messages awaiting acks, by message id. Immutable; a message without devices left is dropped. */
public record UserPending(Map<String, PendingMessage> byMessage) {
    public static final UserPending NONE = new UserPending(Map.of());

    public UserPending {
        byMessage = byMessage == null ? Map.of() : Map.copyOf(byMessage);
    }

    public static UserPending orNone(UserPending stored) {
        return stored == null ? NONE : stored;
    }

    public Optional<PendingMessage> get(String messageId) {
        return Optional.ofNullable(byMessage.get(messageId));
    }

    public UserPending put(PendingMessage pending) {
        Map<String, PendingMessage> next = new LinkedHashMap<>(byMessage);
        if (pending.deadlines().isEmpty()) {
            next.remove(pending.message().messageId());
        } else {
            next.put(pending.message().messageId(), pending);
        }
        return new UserPending(next);
    }

    /**
     * The oldest messages (by {@code sentAt}) to forget, other than {@code keep}, so that the rest fits in
     * {@code maxBytes} (by {@link PendingMessage#estimatedBytes()}); empty when it fits.
     */
    public List<PendingMessage> oldestBeyond(int maxBytes, String keep) {
        int total = 0;
        for (PendingMessage p : byMessage.values()) {
            total += p.estimatedBytes();
        }
        List<PendingMessage> out = new ArrayList<>(0);
        if (total <= maxBytes) {
            return out;
        }
        List<PendingMessage> oldestFirst = new ArrayList<>(byMessage.values());
        oldestFirst.sort(java.util.Comparator.comparing(p -> p.message().sentAt()));
        for (PendingMessage p : oldestFirst) {
            if (total <= maxBytes) {
                break;
            }
            if (!p.message().messageId().equals(keep)) {
                out.add(p);
                total -= p.estimatedBytes();
            }
        }
        return out;
    }

    public UserPending remove(String messageId) {
        Map<String, PendingMessage> next = new LinkedHashMap<>(byMessage);
        next.remove(messageId);
        return new UserPending(next);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return byMessage.isEmpty();
    }
}
