package dev.impush.detector.logic;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.state.Connection;
import dev.impush.model.event.GatewayLease;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final Connection CONNECTION = new Connection("gw-7", NOW.minusSeconds(100));

    @Test
    void isLive_noConnection_isFalse() {
        assertFalse(new Liveness(false).isLive(null, null, NOW));
    }

    @Test
    void isLive_leaseInTheFuture_isTrue() {
        assertTrue(new Liveness(true).isLive(CONNECTION, GatewayLease.of("gw-7", 30, NOW.minusSeconds(29)), NOW));
    }

    @Test
    void isLive_leaseEndingNow_isFalse() {
        assertFalse(new Liveness(false).isLive(CONNECTION, GatewayLease.of("gw-7", 30, NOW.minusSeconds(30)), NOW));
    }

    @Test
    void isLive_noLease_dependsOnRequireLease() {
        assertTrue(new Liveness(false).isLive(CONNECTION, null, NOW));
        assertFalse(new Liveness(true).isLive(CONNECTION, null, NOW));
    }
}
