package dev.impush.detector.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.LinkedHashMap;
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
