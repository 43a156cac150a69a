package dev.impush.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.impush.model.codec.Json;
import dev.impush.model.event.GatewayLease;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GatewayLeaseSerdeTest {
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");
    private final GatewayLeaseSerde serde = new GatewayLeaseSerde();

    private ReceivedLease read(byte[] bytes) {
        return serde.deserializer().deserialize("t", bytes);
    }

    @Test
    void roundTrip_everyField() {
        for (ReceivedLease lease : new ReceivedLease[] {
                new ReceivedLease("gw-7", 30, T, "boot-1", T.plusSeconds(61)),
                new ReceivedLease("gw-7", 3600, T, null, T)}) {
            byte[] bytes = serde.serializer().serialize("t", lease);
            assertEquals(StateSerde.FORMAT_1, bytes[0]);
            assertEquals(lease, read(bytes));
        }
        assertNull(serde.serializer().serialize("t", null));
        assertNull(read(null));
    }

    /** Earlier releases stored the heartbeat in the contract's JSON: it reads as received at its at. */
    @Test
    void read_leaseStoredByAnEarlierRelease() {
        byte[] old = """
                {"v":1,"type":"gateway","gatewayId":"gw-7","leaseSeconds":30,"at":"2026-11-25T08:00:00Z"}"""
                .getBytes(StandardCharsets.UTF_8);
        ReceivedLease lease = read(old);
        assertEquals(new ReceivedLease("gw-7", 30, T, null, T), lease);
        assertEquals(T.plusSeconds(30), lease.expiresAt());
        assertEquals(lease, read(Json.write(GatewayLease.of("gw-7", 30, T))));
    }

    @Test
    void read_unreadableBytes_isNoLease() {
        assertNull(read("{oops".getBytes(StandardCharsets.UTF_8)));
        assertNull(read("{\"something\":\"else\"}".getBytes(StandardCharsets.UTF_8)));
        assertNull(read(new byte[] {StateSerde.FORMAT_1, 5}));
        assertNull(read(new byte[] {9}));
        assertNull(read(new byte[0]));
    }
}
