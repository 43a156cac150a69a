package dev.impush.detector.state;

import dev.impush.model.event.MessageEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A message handed to long connections and not yet acked, with the deadline per device after
 * which the connection is presumed a zombie and the device is pushed. Keeps the message itself so
 * the push can be built without another lookup.
 */
public record PendingMessage(MessageEvent message, Map<String, Instant> deadlines) {

    public PendingMessage {
        deadlines = deadlines == null ? Map.of() : Map.copyOf(deadlines);
    }

    public PendingMessage withDeadline(String deviceId, Instant deadline) {
        Map<String, Instant> next = new LinkedHashMap<>(deadlines);
        next.put(deviceId, deadline);
        return new PendingMessage(message, next);
    }

    public PendingMessage without(String deviceId) {
        Map<String, Instant> next = new LinkedHashMap<>(deadlines);
        next.remove(deviceId);
        return new PendingMessage(message, next);
    }
}
