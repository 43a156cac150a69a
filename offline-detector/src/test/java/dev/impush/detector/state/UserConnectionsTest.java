package dev.impush.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserConnectionsTest {
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    @Test
    void online_thenOfflineNotOlder_removes() {
        UserConnections c = UserConnections.NONE.online("d1", "gw-7", null, T, T, 8, () -> {}).orElseThrow();
        assertTrue(c.offline("d1", T).orElseThrow().isEmpty());
    }

    @Test
    void offline_olderThanSession_isIgnored() {
        UserConnections c = UserConnections.NONE.online("d1", "gw-8", null, T, T, 8, () -> {}).orElseThrow();
        assertTrue(c.offline("d1", T.minusSeconds(1)).isEmpty());
    }

    @Test
    void online_olderThanRecorded_isIgnored() {
        UserConnections c = UserConnections.NONE.online("d1", "gw-8", null, T, T, 8, () -> {}).orElseThrow();
        assertTrue(c.online("d1", "gw-7", null, T.minusSeconds(1), T, 8, () -> {}).isEmpty());
        assertEquals("gw-8", c.get("d1").orElseThrow().gatewayId());
    }

    @Test
    void online_recordsIncarnationAndTheDetectorsClock() {
        Instant now = T.plusSeconds(90);
        UserConnections c = UserConnections.NONE.online("d1", "gw-7", "boot-1", T, now, 8, () -> {}).orElseThrow();
        assertEquals(new Connection("gw-7", T, "boot-1", now), c.get("d1").orElseThrow());
        assertEquals(T, c.get("d1").orElseThrow().ageFrom());
    }
}
