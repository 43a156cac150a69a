package dev.impush.detector.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.state.Connection;
import dev.impush.detector.state.ReceivedLease;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LivenessTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final Connection CONNECTION = new Connection("gw-7", NOW.minusSeconds(100));

    /** A lease received at {@code receivedAt}; its {@code at} (the gateway's clock) is far off on purpose. */
    private static ReceivedLease lease(Instant receivedAt, String incarnation) {
        return new ReceivedLease("gw-7", 30, NOW.minus(Duration.ofHours(5)), incarnation, receivedAt);
    }

    private static Connection connection(Instant since, String incarnation) {
        return new Connection("gw-7", since, incarnation, since);
    }

    @Test
    void isLive_noConnection_isFalse() {
        assertFalse(new Liveness(false, DAY).isLive(null, null, NOW));
    }

    @Test
    void isLive_leaseRunsFromReceipt_notFromTheGatewaysAt() {
        assertTrue(new Liveness(true, DAY).isLive(CONNECTION, lease(NOW.minusSeconds(29), null), NOW));
        assertFalse(new Liveness(false, DAY).isLive(CONNECTION, lease(NOW.minusSeconds(30), null), NOW));
    }

    @Test
    void isLive_noLease_dependsOnRequireLease() {
        assertTrue(new Liveness(false, DAY).isLive(CONNECTION, null, NOW));
        assertFalse(new Liveness(true, DAY).isLive(CONNECTION, null, NOW));
    }

    @Test
    void isLive_anotherIncarnation_isFalse_theSameOne_outlivesMaxAge() {
        Liveness liveness = new Liveness(false, DAY);
        ReceivedLease running = lease(NOW.minusSeconds(5), "boot-2");
        assertFalse(liveness.isLive(connection(NOW.minusSeconds(100), "boot-1"), running, NOW));
        assertTrue(liveness.isLive(connection(NOW.minusSeconds(100), "boot-2"), running, NOW));
        assertTrue(liveness.isLive(connection(NOW.minus(Duration.ofDays(3)), "boot-2"), running, NOW));
        assertFalse(liveness.isLive(connection(NOW.minusSeconds(100), "boot-2"), lease(NOW.minusSeconds(31), "boot-2"),
                NOW), "the lease ran out");
    }

    @Test
    void isLive_unknownIncarnation_endsAtMaxAge() {
        Liveness liveness = new Liveness(false, Duration.ofHours(1));
        assertTrue(liveness.isLive(connection(NOW.minusSeconds(3599), null), null, NOW));
        assertFalse(liveness.isLive(connection(NOW.minusSeconds(3600), null), null, NOW));
        assertFalse(liveness.isLive(connection(NOW.minusSeconds(3600), null), lease(NOW, "boot-1"), NOW));
        assertFalse(liveness.isLive(connection(NOW.minusSeconds(3600), "boot-1"), lease(NOW, null), NOW));
        // recorded by the detector long ago, although the gateway's clock (since) says it is new
        assertFalse(liveness.isLive(new Connection("gw-7", NOW.plusSeconds(60), null, NOW.minusSeconds(3600)), null,
                NOW));
    }

    @Test
    void isLive_extremeStoredTimes_doNotOverflow() {
        Liveness liveness = new Liveness(false, DAY);
        assertTrue(liveness.isLive(new Connection("gw-7", Instant.MAX), null, NOW));
        assertFalse(liveness.isLive(new Connection("gw-7", Instant.MIN), null, NOW));
    }

    @Test
    void currentIncarnation_onlyOfARunningLease() {
        Liveness liveness = new Liveness(false, DAY);
        assertEquals("boot-1", liveness.currentIncarnation(lease(NOW.minusSeconds(5), "boot-1"), NOW));
        assertNull(liveness.currentIncarnation(lease(NOW.minusSeconds(30), "boot-1"), NOW));
        assertNull(liveness.currentIncarnation(null, NOW));
    }
}
