package dev.impush.detector.state;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One user's registered devices, by device id. Immutable: every change returns a new value. */
public record UserDevices(Map<String, RegisteredDevice> byDevice) {
    public static final UserDevices NONE = new UserDevices(Map.of());

    public UserDevices {
        byDevice = byDevice == null ? Map.of() : Map.copyOf(byDevice);
    }

    public static UserDevices orNone(UserDevices stored) {
        return stored == null ? NONE : stored;
    }

    public Optional<RegisteredDevice> get(String deviceId) {
        return Optional.ofNullable(byDevice.get(deviceId));
    }

    /**
     * Registers {@code device} unless the stored registration is newer: registrations can arrive out
     * of order (app retries), and a stale one must not bring back a replaced token. A new device past
     * {@code max} replaces the one registered longest ago ({@code evicted} is told).
     */
    public Optional<UserDevices> register(RegisteredDevice device, int max, Runnable evicted) {
        RegisteredDevice current = byDevice.get(device.deviceId());
        if (current != null && current.registeredAt().isAfter(device.registeredAt())) {
            return Optional.empty();
        }
        Map<String, RegisteredDevice> next = new LinkedHashMap<>(byDevice);
        if (current == null) {
            Bounded.makeRoom(next, max, Comparator.comparing(RegisteredDevice::registeredAt), evicted);
        }
        next.put(device.deviceId(), device);
        return Optional.of(new UserDevices(next));
    }

    /**
     * Removes {@code deviceId}; when {@code registeredBefore} is given, only a registration not newer
     * than it (so a re-registration that overtook this removal survives).
     */
    public Optional<UserDevices> remove(String deviceId, Instant registeredBefore) {
        RegisteredDevice current = byDevice.get(deviceId);
        if (current == null || (registeredBefore != null && current.registeredAt().isAfter(registeredBefore))) {
            return Optional.empty();
        }
        Map<String, RegisteredDevice> next = new LinkedHashMap<>(byDevice);
        next.remove(deviceId);
        return Optional.of(new UserDevices(next));
    }

    @JsonIgnore
    public boolean isEmpty() {
        return byDevice.isEmpty();
    }
}
