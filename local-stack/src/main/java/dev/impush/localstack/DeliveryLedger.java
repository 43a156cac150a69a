package dev.impush.localstack;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the mock vendors accepted, per (message, device), so tests can assert "exactly once".
 *
 * <p>It models the phone as well as the vendor: {@link #requests} counts every accepted request
 * (a re-send after a crash counts twice), {@link #shown} counts the notifications a device would
 * display, where a second notification with the same collapse id replaces the first one instead of
 * showing again. Thread-safe.
 */
public final class DeliveryLedger {
    /** Identifies a notification on a device. */
    public record Key(String messageId, String deviceId) {}

    private final Map<Key, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<Key, Set<String>> collapseIds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> perChannel = new ConcurrentHashMap<>();
    private final AtomicLong uncollapsed = new AtomicLong();
    /** deviceId → collapse id → the message whose notification shows under it (the latest replaces). */
    private final Map<String, Map<String, String>> trays = new ConcurrentHashMap<>();
    private final Map<Key, String> payloads = new ConcurrentHashMap<>();
    private volatile boolean keepPayloads;
    private volatile AcceptListener listener;

    /** Told of every accepted request as it is recorded (on the mock's event loop: must not block). */
    @FunctionalInterface
    public interface AcceptListener {
        void accepted(String channel, String messageId, String deviceId);
    }

    /** Installs {@code l} (or removes it, with {@code null}); for benchmarks that time each arrival. */
    public void listen(AcceptListener l) {
        this.listener = l;
    }

    /**
     * Records one accepted request.
     *
     * @param collapseId the collapse id the request carried, or {@code null} for none (always shows)
     */
    public void accepted(String channel, String messageId, String deviceId, String collapseId) {
        Key key = new Key(messageId, deviceId);
        requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        String collapse = collapseId == null ? "no-collapse-" + uncollapsed.incrementAndGet() : collapseId;
        collapseIds.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(collapse);
        trays.computeIfAbsent(deviceId, d -> new ConcurrentHashMap<>()).put(collapse, messageId);
        perChannel.computeIfAbsent(channel, c -> new AtomicLong()).incrementAndGet();
        AcceptListener l = listener;
        if (l != null) {
            l.accepted(channel, messageId, deviceId);
        }
    }

    /** From now on keeps the last payload per (message, device), for tests that read what the device got. */
    public void keepPayloads() {
        keepPayloads = true;
    }

    public boolean keepsPayloads() {
        return keepPayloads;
    }

    /** Records the payload of an accepted request, when {@link #keepPayloads} was called. */
    public void payload(String messageId, String deviceId, String payload) {
        if (keepPayloads) {
            payloads.put(new Key(messageId, deviceId), payload);
        }
    }

    /** The last payload the device got for the message, when payloads are kept. */
    public Optional<String> payload(String messageId, String deviceId) {
        return Optional.ofNullable(payloads.get(new Key(messageId, deviceId)));
    }

    /** Requests accepted for this (message, device). */
    public int requests(String messageId, String deviceId) {
        AtomicInteger n = requests.get(new Key(messageId, deviceId));
        return n == null ? 0 : n.get();
    }

    /** Notifications the device shows for this message (collapsed duplicates count once). */
    public int shown(String messageId, String deviceId) {
        Set<String> ids = collapseIds.get(new Key(messageId, deviceId));
        return ids == null ? 0 : ids.size();
    }

    /**
     * What the device's notification tray shows: collapse id → the message of the notification shown
     * under it (a request with a collapse id already shown replaces that notification).
     */
    public Map<String, String> tray(String deviceId) {
        return Map.copyOf(trays.getOrDefault(deviceId, Map.of()));
    }

    /** Requests accepted for the device, over all its messages. */
    public int requests(String deviceId) {
        return requests.entrySet().stream().filter(e -> e.getKey().deviceId().equals(deviceId))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    public Map<Key, Integer> requestsByKey() {
        Map<Key, Integer> copy = new java.util.HashMap<>();
        requests.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    public long total() {
        return perChannel.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long total(String channel) {
        AtomicLong n = perChannel.get(channel);
        return n == null ? 0 : n.get();
    }

    /** Requests beyond the first per (message, device): re-sends the vendor saw. */
    public long resends() {
        return requests.values().stream().mapToLong(n -> Math.max(0, n.get() - 1)).sum();
    }

    public void clear() {
        requests.clear();
        collapseIds.clear();
        trays.clear();
        payloads.clear();
        perChannel.clear();
    }
}
