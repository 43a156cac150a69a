package dev.impush.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserDevicesTest {
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    private static RegisteredDevice device(String token, Instant at) {
        return new RegisteredDevice("d1", Channel.APNS, token, "app", false, "en", true, at);
    }

    @Test
    void register_newer_replaces() {
        UserDevices d = UserDevices.NONE.register(device("t1", T), 8, () -> {}).orElseThrow()
                .register(device("t2", T.plusSeconds(1)), 8, () -> {}).orElseThrow();
        assertEquals("t2", d.get("d1").orElseThrow().token());
    }

    @Test
    void register_older_isIgnored() {
        UserDevices d = UserDevices.NONE.register(device("t2", T), 8, () -> {}).orElseThrow();
        assertTrue(d.register(device("t1", T.minusSeconds(1)), 8, () -> {}).isEmpty());
    }

    @Test
    void remove_registrationNewerThanBound_isKept() {
        UserDevices d = UserDevices.NONE.register(device("t1", T), 8, () -> {}).orElseThrow();
        assertTrue(d.remove("d1", T.minusSeconds(1)).isEmpty());
        assertTrue(d.remove("d1", T).orElseThrow().isEmpty());
        assertTrue(d.remove("d1", null).orElseThrow().isEmpty());
    }

    @Test
    void toString_masksToken() {
        String token = "f".repeat(64);
        assertTrue(!device(token, T).toString().contains(token));
    }
}
