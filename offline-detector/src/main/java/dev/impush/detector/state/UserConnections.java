package dev.impush.detector.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One user's recorded long connections, by device id. Immutable. */
public record UserConnections(Map<String, Connection> byDevice) {
    public static final UserConnections NONE = new UserConnections(Map.of());

    public UserConnections {
        byDevice = byDevice == null ? Map.of() : Map.copyOf(byDevice);
    }

    public static UserConnections orNone(UserConnections stored) {
        return stored == null ? NONE : stored;
    }

    public Optional<Connection> get(String deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }

    /**
     * Records a connection unless a newer one is already recorded (presence events can overtake each
     * other; {@code at} orders them). A new device past {@code max} replaces the connection recorded
     * longest ago.
     *
     * @param incarnation the gateway incarnation holding it, {@code null} when unknown
     * @param now         the detector's clock, recorded as {@link Connection#recordedAt()}
     */
    public Optional<UserConnections> online(String deviceId, String gatewayId, String incarnation, Instant at,
                                            Instant now, int max, Runnable evicted) {
        Connection current = byDevice.get(deviceId);
        if (current != null && current.since().isAfter(at)) {
            return Optional.empty();
        }
        Map<String, Connection> next = new LinkedHashMap<>(byDevice);
        if (current == null) {
            Bounded.makeRoom(next, max, java.util.Comparator.comparing(Connection::since), evicted);
        }
        next.put(deviceId, new Connection(gatewayId, at, incarnation, now));
        return Optional.of(new UserConnections(next));
    }

    /** Removes the connection unless it started after {@code at}: a late offline must not end a newer session. */
    public Optional<UserConnections> offline(String deviceId, Instant at) {
        Connection current = byDevice.get(deviceId);
        if (current == null || current.since().isAfter(at)) {
            return Optional.empty();
        }
        Map<String, Connection> next = new LinkedHashMap<>(byDevice);
        next.remove(deviceId);
        return Optional.of(new UserConnections(next));
    }

    @JsonIgnore
    public boolean isEmpty() {
        return byDevice.isEmpty();
    }
}
