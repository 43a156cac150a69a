package dev.impush.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.event.GatewayLease;
import dev.impush.model.event.MessageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class JsonSerdeTest {
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    private static <V> V roundTrip(Class<V> type, V value) {
        JsonSerde<V> serde = JsonSerde.of(type);
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }

    @Test
    void roundTrip_everyStateRecord() {
        UserDevices devices = new UserDevices(Map.of("d1",
                new RegisteredDevice("d1", Channel.HUAWEI, "tok", "app", true, null, false, T)));
        UserConnections connections = new UserConnections(Map.of("d1", new Connection("gw-7", T)));
        MessageEvent m = new MessageEvent(Contract.VERSION, "m-1", "u42", "c-17", MessageEvent.ConversationType.GROUP,
                "u7", "Alice", "hi", true, 2, T, 0, Priority.HIGH, false);
        UserPending pending = new UserPending(Map.of("m-1", new PendingMessage(m, Map.of("d1", T.plusSeconds(10)))));
        UserMutes mutes = new UserMutes(Map.of(UserMutes.ALL, new Mute(null, T), "c-1", new Mute(T, T)));

        assertEquals(devices, roundTrip(UserDevices.class, devices));
        assertEquals(connections, roundTrip(UserConnections.class, connections));
        assertEquals(pending, roundTrip(UserPending.class, pending));
        assertEquals(mutes, roundTrip(UserMutes.class, mutes));
    }

    @Test
    void deserialize_corruptState_failsLoudly() {
        assertThrows(SerializationException.class, () -> JsonSerde.of(UserDevices.class).deserializer()
                .deserialize("t", "{oops".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void gatewayLeaseSerde_invalidBytes_readAsNoLease() {
        GatewayLeaseSerde serde = new GatewayLeaseSerde();
        GatewayLease lease = GatewayLease.of("gw-7", 30, T);
        assertEquals(lease, serde.deserializer().deserialize("t", serde.serializer().serialize("t", lease)));
        assertNull(serde.deserializer().deserialize("t", "{oops".getBytes(StandardCharsets.UTF_8)));
    }
}
