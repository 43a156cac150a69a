package dev.impush.detector.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One user's ack tracking: messages awaiting acks, by message id, and the acks (and routeds) read
 * before their message ({@link EarlyAck}). Immutable; a message without devices left is dropped.
 *
 * @param early at most {@link #MAX_EARLY} entries, oldest first
 */
public record UserPending(Map<String, PendingMessage> byMessage, List<EarlyAck> early) {
    public static final UserPending NONE = new UserPending(Map.of(), List.of());
    /**
     * Early acks kept per user: past it the oldest is forgotten (its message, should it come, waits for
     * an ack again). Early acks are rare (a slow message producer); the cap bounds the value at about
     * 100 KB with the contract's longest ids.
     */
    public static final int MAX_EARLY = 64;

    public UserPending {
        byMessage = byMessage == null ? Map.of() : Map.copyOf(byMessage);
        early = early == null ? List.of() : List.copyOf(early);
    }

    /** Messages awaiting acks, without early acks: a value as earlier releases stored it. */
    public UserPending(Map<String, PendingMessage> byMessage) {
        this(byMessage, List.of());
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
        return new UserPending(next, early);
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
        oldestFirst.sort(Comparator.comparing(p -> p.message().sentAt()));
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
        return new UserPending(next, early);
    }

    /** The early ack of {@code messageId} on {@code deviceId}, if one is remembered. */
    public Optional<EarlyAck> early(String messageId, String deviceId) {
        for (EarlyAck e : early) {
            if (e.is(messageId, deviceId)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** With {@code ack} remembered, replacing the entry of the same message and device (appended: newest last). */
    public UserPending withEarly(EarlyAck ack) {
        List<EarlyAck> next = new ArrayList<>(early.size() + 1);
        for (EarlyAck e : early) {
            if (!e.is(ack.messageId(), ack.deviceId())) {
                next.add(e);
            }
        }
        next.add(ack);
        return new UserPending(byMessage, next);
    }

    /** Without the early ack of {@code messageId} on {@code deviceId}. */
    public UserPending withoutEarly(String messageId, String deviceId) {
        List<EarlyAck> next = new ArrayList<>(early);
        next.removeIf(e -> e.is(messageId, deviceId));
        return new UserPending(byMessage, next);
    }

    /** The early acks to forget, oldest first, so that at most {@link #MAX_EARLY} remain. */
    public List<EarlyAck> earlyBeyondLimit() {
        return early.size() <= MAX_EARLY ? List.of() : early.subList(0, early.size() - MAX_EARLY);
    }

    @JsonIgnore
    public boolean isEmpty() {
        return byMessage.isEmpty() && early.isEmpty();
    }
}
