package dev.impush.detector.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.QuietHours;
import dev.impush.model.job.LocalizedText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StateSerdeTest {
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");

    private static final UserDevices DEVICES = new UserDevices(Map.of(
            "d1", new RegisteredDevice("d1", Channel.HUAWEI, "tok", "app", true, null, false, T),
            "d-ü", new RegisteredDevice("d-ü", Channel.APNS, "a".repeat(300), "app", false, "zh-Hans-CN", true,
                    Instant.ofEpochSecond(-1, 999_999_999)),
            "d-voip", new RegisteredDevice("d-voip", Channel.APNS, "b".repeat(64), "app", false, null, true, T, true)));
    private static final UserConnections CONNECTIONS = new UserConnections(Map.of(
            "d1", new Connection("gw-7", T), "d2", new Connection(null, Instant.MAX),
            "d3", new Connection("gw-8", T, "boot-ü", T.plusSeconds(60))));
    private static final MessageEvent MESSAGE = new MessageEvent(Contract.VERSION, "m-1", "u42", "c-17",
            MessageEvent.ConversationType.GROUP, "u7", "Alice 🙂", "hi \"there\"\n", true, 2, T.plusNanos(1), 3600,
            Priority.NORMAL, true);
    private static final MessageEvent ROUTED = new MessageEvent(Contract.VERSION, "m-5", "u42", "c-17",
            MessageEvent.ConversationType.DIRECT, "u7", "Alice", "hi", false, null, T, 60, Priority.HIGH, false,
            "chat://conversation/c-17?ü", new LocalizedText("MSG_FROM", List.of("Alice"), "MSG_BODY", List.of("hi", "ü")), true);
    private static final MessageEvent BARE_MESSAGE = new MessageEvent(Contract.VERSION, "m-2", "u42", "c-17",
            null, null, null, null, false, null, T, 0, null, false);
    private static final UserPending PENDING = new UserPending(Map.of(
            "m-1", new PendingMessage(MESSAGE, Map.of("d1", T.plusSeconds(10), "d2", T.plusMillis(10_001)), Set.of("d2")),
            "m-2", new PendingMessage(BARE_MESSAGE, Map.of("d1", T)),
            "m-5", new PendingMessage(ROUTED, Map.of("d1", T))),
            List.of(new EarlyAck("m-3", "d-ü", T.plusSeconds(1), false, T.plusSeconds(11)),
                    new EarlyAck("m-4", "d1", null, true, T.plusSeconds(12))));
    /** The same, as a release before early acks and unrouted devices stored it. */
    private static final UserPending PENDING_FORMAT_1 = new UserPending(Map.of(
            "m-1", new PendingMessage(MESSAGE, Map.of("d1", T.plusSeconds(10), "d2", T.plusMillis(10_001))),
            "m-2", new PendingMessage(BARE_MESSAGE, Map.of("d1", T))));
    private static final AckDeadline DEADLINE = new AckDeadline("u42", "m-1", "d1");
    private static final UserMutes MUTES = new UserMutes(Map.of(UserMutes.ALL, new Mute(null, T),
            "c-1", new Mute(T, T.minusSeconds(5))));

    private static <V> byte[] write(StateSerde<V> serde, V value) {
        return serde.serializer().serialize("t", value);
    }

    private static <V> V read(StateSerde<V> serde, byte[] bytes) {
        return serde.deserializer().deserialize("t", bytes);
    }

    private static <V> V roundTrip(StateSerde<V> serde, V value) {
        return read(serde, write(serde, value));
    }

    private static StateSerde<UserDevices> devices() {
        return new StateSerde<>(StateCodecs.DEVICES);
    }

    private static StateSerde<UserPending> pending() {
        return new StateSerde<>(StateCodecs.PENDING);
    }

    @Test
    void roundTrip_everyStateRecord_everyField() {
        assertEquals(DEVICES, roundTrip(devices(), DEVICES));
        assertEquals(CONNECTIONS, roundTrip(new StateSerde<>(StateCodecs.CONNECTIONS),
                CONNECTIONS));
        assertEquals(PENDING, roundTrip(pending(), PENDING));
        assertEquals(DEADLINE, roundTrip(new StateSerde<>(StateCodecs.DEADLINE), DEADLINE));
        assertEquals(MUTES, roundTrip(new StateSerde<>(StateCodecs.MUTES), MUTES));
        ReceivedLease lease = new ReceivedLease("gw-7", 30, T, "boot-1", T.plusSeconds(60));
        assertEquals(lease, roundTrip(new StateSerde<>(StateCodecs.LEASE), lease));
        Hold holding = new Hold("m-0", T.plusSeconds(3), 7, List.of("Alice 🙂", "Bob"), MESSAGE, Set.of("d1", "d2"));
        assertEquals(holding, roundTrip(new StateSerde<>(StateCodecs.HOLD), holding));
        Hold idle = holding.next(T.plusSeconds(6));
        assertEquals(idle, roundTrip(new StateSerde<>(StateCodecs.HOLD), idle));
        UserUnread unread = new UserUnread(Map.of("c-17", new UserUnread.Unread(3, T, List.of("m-3", "m-2")),
                "c-18", new UserUnread.Unread(999_999, T.plusNanos(1), List.of())));
        assertEquals(unread, roundTrip(new StateSerde<>(StateCodecs.UNREAD), unread));
        UserPreferences prefs = new UserPreferences(new QuietHours("22:00", "07:00", "Asia/Shanghai",
                QuietHours.Mode.DROP, true, false), T);
        assertEquals(prefs, roundTrip(new StateSerde<>(StateCodecs.PREFERENCES), prefs));
        UserPreferences none = new UserPreferences(null, T);
        assertEquals(none, roundTrip(new StateSerde<>(StateCodecs.PREFERENCES), none));
        UserReadClears clears = new UserReadClears(Map.of("c-17", T, "c-18", T.plusNanos(5)));
        assertEquals(clears, roundTrip(new StateSerde<>(StateCodecs.READ_CLEARS), clears));
        HoldDue due = new HoldDue("u42", "c|17");
        assertEquals(due, roundTrip(new StateSerde<>(StateCodecs.HOLD_DUE), due));
        assertEquals(UserDevices.NONE, roundTrip(devices(), UserDevices.NONE));
        assertNull(write(devices(), null));
        assertNull(read(devices(), null));
    }

    @Test
    void write_typesInTheirFirstLayout_areFormat1() {
        assertEquals(StateSerde.FORMAT_1, write(new StateSerde<>(StateCodecs.MUTES), MUTES)[0]);
    }

    /** Devices written in format 1, before VoIP tokens, read as alert tokens. */
    @Test
    void write_devices_isFormat2_andFormat1ReadsAsAlertTokens() {
        assertEquals(StateSerde.FORMAT_2, write(devices(), DEVICES)[0]);
        StateOutput out = new StateOutput();
        out.writeByte(StateSerde.FORMAT_1);
        out.writeVarLong(1);
        out.writeString("d1");
        out.writeString("d1");
        out.writeEnum(Channel.APNS);
        out.writeString("tok");
        out.writeString("app");
        out.writeBoolean(false);
        out.writeString("en");
        out.writeBoolean(true);
        out.writeInstant(T);
        assertEquals(new UserDevices(Map.of("d1", new RegisteredDevice("d1", Channel.APNS, "tok", "app", false, "en", true, T))),
                read(devices(), out.toByteArray()));
    }

    @Test
    void write_pending_isFormat3_andSmallerThanJson() {
        byte[] binary = write(pending(), PENDING);
        assertEquals(StateSerde.FORMAT_3, binary[0]);
        assertTrue(binary.length < Json.write(PENDING).length / 2, binary.length + " bytes");
    }

    /** Pending acks written in format 2 (messages without their deep link) still read, with none. */
    @Test
    void read_format2Pending() {
        StateOutput out = new StateOutput();
        out.writeByte(StateSerde.FORMAT_2);
        out.writeVarLong(1);
        out.writeString("m-1");
        StateCodecs.MESSAGE.write(out, MESSAGE);
        out.writeVarLong(1);
        out.writeString("d1");
        out.writeInstant(T.plusSeconds(10));
        out.writeVarLong(1);
        out.writeString("d1");
        out.writeVarLong(0);
        UserPending read = read(pending(), out.toByteArray());

        assertEquals(new PendingMessage(MESSAGE, Map.of("d1", T.plusSeconds(10)), Set.of("d1")), read.get("m-1").orElseThrow());
        assertEquals(null, read.get("m-1").orElseThrow().message().route());
    }

    /**
     * Pending acks written in format 1 (messages and their deadlines only, before unrouted devices
     * and early acks) still read: every deadline pushes, as it did then, and no early acks.
     */
    @Test
    void read_format1Pending() {
        StateOutput out = new StateOutput();
        out.writeByte(StateSerde.FORMAT_1);
        out.writeVarLong(1);
        out.writeString("m-1");
        StateCodecs.MESSAGE.write(out, MESSAGE);
        out.writeVarLong(2);
        out.writeString("d1");
        out.writeInstant(T.plusSeconds(10));
        out.writeString("d2");
        out.writeInstant(T.plusMillis(10_001));
        UserPending read = read(pending(), out.toByteArray());

        PendingMessage m = read.get("m-1").orElseThrow();
        assertEquals(new PendingMessage(MESSAGE, Map.of("d1", T.plusSeconds(10), "d2", T.plusMillis(10_001))), m);
        assertTrue(m.routed("d1") && m.routed("d2"), "a deadline of an earlier release pushes in every mode");
        assertEquals(List.of(), read.early());
    }

    @Test
    void write_connections_isFormat2() {
        assertEquals(StateSerde.FORMAT_2, write(new StateSerde<>(StateCodecs.CONNECTIONS), CONNECTIONS)[0]);
    }

    /**
     * Connections written in format 1 (gateway and since only, before incarnations) still read: as
     * connections of an unknown incarnation, recorded at their since.
     */
    @Test
    void read_format1Connections() {
        StateOutput out = new StateOutput();
        out.writeByte(StateSerde.FORMAT_1);
        out.writeVarLong(2);
        out.writeString("d1");
        out.writeString("gw-7");
        out.writeInstant(T);
        out.writeString("d2");
        out.writeString(null);
        out.writeInstant(Instant.MAX);
        UserConnections read = read(new StateSerde<>(StateCodecs.CONNECTIONS), out.toByteArray());

        assertEquals(new UserConnections(Map.of("d1", new Connection("gw-7", T, null, T),
                "d2", new Connection(null, Instant.MAX, null, Instant.MAX))), read);
    }

    /**
     * The codecs name every component of the records they write. A component added to one of these
     * records would be silently dropped from state: this fails first, pointing at the codec to extend
     * (and at a new format byte, since stored values lack the field).
     */
    @Test
    void codecs_coverEveryRecordComponent() {
        Map<Class<?>, Integer> written = Map.ofEntries(Map.entry(MessageEvent.class, 17),
                Map.entry(RegisteredDevice.class, 9), Map.entry(Connection.class, 4), Map.entry(PendingMessage.class, 3),
                Map.entry(AckDeadline.class, 3), Map.entry(Mute.class, 2), Map.entry(ReceivedLease.class, 5),
                Map.entry(UserDevices.class, 1), Map.entry(UserConnections.class, 1), Map.entry(UserPending.class, 2),
                Map.entry(UserMutes.class, 1), Map.entry(EarlyAck.class, 5), Map.entry(Hold.class, 6),
                Map.entry(HoldDue.class, 2), Map.entry(UserUnread.class, 1), Map.entry(UserUnread.Unread.class, 3),
                Map.entry(UserPreferences.class, 2), Map.entry(QuietHours.class, 6));
        written.forEach((type, n) -> assertEquals(n, type.getRecordComponents().length,
                type.getSimpleName() + " changed: update StateCodecs"));
    }

    /** Changelogs written before format 1 hold JSON (what the JSON serde wrote): an upgrade restores them. */
    @Test
    void read_legacyJsonValues() {
        assertEquals(DEVICES, read(devices(), Json.write(DEVICES)));
        assertEquals(PENDING, read(pending(), Json.write(PENDING)));
        // pending acks as the JSON serde wrote them, before unrouted devices and early acks
        byte[] pending = """
                {"byMessage":{"m-2":{"message":%s,"deadlines":{"d1":"2026-11-25T08:00:00Z"}}}}"""
                .formatted(new String(Json.write(BARE_MESSAGE), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        assertEquals(new UserPending(Map.of("m-2", new PendingMessage(BARE_MESSAGE, Map.of("d1", T)))),
                read(pending(), pending));
        assertEquals(MUTES, read(new StateSerde<>(StateCodecs.MUTES), Json.write(MUTES)));
        // connections as the JSON serde wrote them, before incarnations
        byte[] connections = """
                {"byDevice":{"d1":{"gatewayId":"gw-7","since":"2026-11-25T08:00:00Z"}}}"""
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(new UserConnections(Map.of("d1", new Connection("gw-7", T, null, T))),
                read(new StateSerde<>(StateCodecs.CONNECTIONS), connections));
    }

    @Test
    void read_corruptOrUnknownValues_failLoudly() {
        byte[] good = write(pending(), PENDING);
        for (int cut = 1; cut < good.length; cut++) {
            byte[] truncated = Arrays.copyOf(good, cut);
            assertThrows(SerializationException.class, () -> read(pending(), truncated), "cut at " + cut);
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThrows(SerializationException.class, () -> read(pending(), trailing));
        byte[] newer = good.clone();
        newer[0] = StateSerde.FORMAT_3 + 1;
        assertThrows(SerializationException.class, () -> read(pending(), newer));
        assertThrows(SerializationException.class, () -> read(pending(), new byte[0]));
        assertThrows(SerializationException.class, () -> read(devices(), "{oops".getBytes(StandardCharsets.UTF_8)));
    }

    /** Random bytes after the format byte either read as some value or fail as corrupt: never anything else. */
    @Test
    void read_randomBytes_neverFailsOtherwise() {
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(40)];
            random.nextBytes(bytes);
            bytes[0] = i % 2 == 0 ? StateSerde.FORMAT_1 : StateSerde.FORMAT_2; // both layouts of pending acks
            try {
                read(pending(), bytes);
            } catch (SerializationException expected) {
                // corrupt: fine
            }
        }
    }

    @Test
    void roundTrip_randomDevices() {
        Random random = new Random(3);
        Channel[] channels = Channel.values();
        for (int i = 0; i < 500; i++) {
            Map<String, RegisteredDevice> byDevice = new HashMap<>();
            for (int n = random.nextInt(5); n > 0; n--) {
                String id = randomText(random);
                byDevice.put(id, new RegisteredDevice(id, channels[random.nextInt(channels.length)],
                        randomText(random), randomText(random), random.nextBoolean(),
                        random.nextBoolean() ? null : randomText(random), random.nextBoolean(),
                        Instant.ofEpochSecond(random.nextLong(-10_000_000_000L, 10_000_000_000L),
                                random.nextInt(1_000_000_000))));
            }
            UserDevices value = new UserDevices(byDevice);
            assertEquals(value, roundTrip(devices(), value));
        }
    }

    private static String randomText(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(30); n > 0; n--) {
            s.appendCodePoint(switch (random.nextInt(6)) {
                case 0 -> 0x80 + random.nextInt(0xD800 - 0x80); // two and three UTF-8 bytes, below the surrogates
                case 1 -> 0x1F600 + random.nextInt(0x50); // four bytes (a surrogate pair in the String)
                default -> 0x20 + random.nextInt(0x5F);
            });
        }
        return s.toString();
    }
}
