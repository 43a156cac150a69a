package dev.impush.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.impush.model.event.GatewayLease;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GatewayLeaseSerdeTest {
    @Test
    void roundTrip_andInvalidBytes_readAsNoLease() {
        GatewayLeaseSerde serde = new GatewayLeaseSerde();
        GatewayLease lease = GatewayLease.of("gw-7", 30, Instant.parse("2026-11-25T08:00:00Z"));
        assertEquals(lease, serde.deserializer().deserialize("t", serde.serializer().serialize("t", lease)));
        assertNull(serde.deserializer().deserialize("t", "{oops".getBytes(StandardCharsets.UTF_8)));
    }
}
