package dev.impush.detector.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.state.ReceivedLease;
import dev.impush.model.event.GatewayLease;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseReceiptTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private final LeaseReceipt receipt = new LeaseReceipt(Duration.ofMinutes(5));

    private static ReceivedLease stored(Instant at, String incarnation) {
        return new ReceivedLease("gw-7", 30, at, incarnation, NOW.minusSeconds(10));
    }

    @Test
    void receivedAt_isNow_forARecordWithinTheSkew_eitherWay() {
        assertEquals(NOW, receipt.receivedAt(NOW.toEpochMilli(), NOW));
        assertEquals(NOW, receipt.receivedAt(NOW.minusSeconds(300).toEpochMilli(), NOW));
        assertEquals(NOW, receipt.receivedAt(NOW.plus(Duration.ofDays(1)).toEpochMilli(), NOW));
        assertEquals(NOW, receipt.receivedAt(-1, NOW), "a record without a timestamp");
    }

    @Test
    void receivedAt_ofAnOldRecord_asOnRestore_isItsTimestampPlusTheSkew() {
        Instant written = NOW.minus(Duration.ofHours(1));
        assertEquals(written.plusSeconds(300), receipt.receivedAt(written.toEpochMilli(), NOW));
    }

    @Test
    void replaces_sameIncarnation_onlyWhenNewer() {
        Instant at = NOW.minusSeconds(20);
        assertTrue(receipt.replaces(null, GatewayLease.of("gw-7", 30, at)));
        assertTrue(receipt.replaces(stored(at, null), GatewayLease.of("gw-7", 30, at.plusMillis(1))));
        assertFalse(receipt.replaces(stored(at, null), GatewayLease.of("gw-7", 30, at)), "repeated");
        assertFalse(receipt.replaces(stored(at, null), GatewayLease.of("gw-7", 30, at.minusSeconds(1))), "older");
        assertFalse(receipt.replaces(stored(at, "b1"), GatewayLease.of("gw-7", 30, at, "b1")));
    }

    @Test
    void replaces_anotherIncarnation_unlessOlderByMoreThanTheSkew() {
        Instant at = NOW.minusSeconds(20);
        assertTrue(receipt.replaces(stored(at, "b1"), GatewayLease.of("gw-7", 30, at.minusSeconds(300), "b2")),
                "a restart on a host whose clock is behind");
        assertTrue(receipt.replaces(stored(at, null), GatewayLease.of("gw-7", 30, at.minusSeconds(60), "b2")));
        assertTrue(receipt.replaces(stored(at, "b1"), GatewayLease.of("gw-7", 30, at.plusSeconds(5), null)));
        assertFalse(receipt.replaces(stored(at, "b2"), GatewayLease.of("gw-7", 30, at.minusSeconds(301), "b1")),
                "a replay of a gone incarnation");
    }
}
