package dev.impush.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.GatewayLease;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.PreferencesEvent;
import dev.impush.model.event.PresenceEvent;
import dev.impush.model.event.QuietHours;
import dev.impush.model.event.ReadEvent;
import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContractCodecTest {
    private final ContractCodec<ImEvent> events = ContractCodec.events();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The README's examples, verbatim: the public contract must keep reading them. */
    @Test
    void decode_designExamples_allValid() {
        List<String> lines = List.of(
                "{\"v\":1,\"type\":\"device\",\"action\":\"register\",\"userId\":\"u42\",\"deviceId\":\"d1\",\"channel\":\"apns\",\"token\":\"3f1c\",\"appId\":\"com.example.chat\",\"sandbox\":false,\"locale\":\"zh-CN\",\"previewEnabled\":true,\"registeredAt\":\"2026-11-25T08:00:00Z\"}",
                "{\"v\":1,\"type\":\"presence\",\"userId\":\"u42\",\"deviceId\":\"d1\",\"state\":\"online\",\"gatewayId\":\"gw-7\",\"at\":\"2026-11-25T08:00:01Z\"}",
                "{\"v\":1,\"type\":\"message\",\"messageId\":\"m-9001\",\"userId\":\"u42\",\"conversationId\":\"c-17\",\"conversationType\":\"group\",\"senderId\":\"u7\",\"senderName\":\"Alice\",\"preview\":\"lunch?\",\"mentioned\":false,\"badge\":3,\"sentAt\":\"2026-11-25T08:00:02Z\",\"ttlSeconds\":86400,\"priority\":\"high\",\"silent\":false}",
                "{\"v\":1,\"type\":\"routed\",\"messageId\":\"m-9001\",\"userId\":\"u42\",\"deviceId\":\"d1\",\"at\":\"2026-11-25T08:00:02Z\"}",
                "{\"v\":1,\"type\":\"acked\",\"messageId\":\"m-9001\",\"userId\":\"u42\",\"deviceId\":\"d1\",\"at\":\"2026-11-25T08:00:03Z\"}",
                "{\"v\":1,\"type\":\"mute\",\"userId\":\"u42\",\"conversationId\":\"c-17\",\"muted\":true,\"at\":\"2026-11-25T08:00:03Z\"}",
                "{\"v\":1,\"type\":\"recall\",\"userId\":\"u42\",\"messageId\":\"m-9001\",\"conversationId\":\"c-17\",\"sentAt\":\"2026-11-25T08:00:02Z\",\"ttlSeconds\":86400,\"at\":\"2026-11-25T08:01:30Z\"}");
        for (String line : lines) {
            assertInstanceOf(Decoded.Ok.class, events.decode(utf8(line)), line);
        }
        var msg = (MessageEvent) ((Decoded.Ok<ImEvent>) events.decode(utf8(lines.get(2)))).value();
        assertEquals(Priority.HIGH, msg.priority());
        assertEquals(MessageEvent.ConversationType.GROUP, msg.conversationType());
        assertEquals(Instant.parse("2026-11-25T08:00:02Z"), msg.sentAt());
        var dev = (DeviceEvent) ((Decoded.Ok<ImEvent>) events.decode(utf8(lines.get(0)))).value();
        assertEquals(Channel.APNS, dev.channel());
        var gw = ContractCodec.gateways().decode(utf8(
                "{\"v\":1,\"type\":\"gateway\",\"gatewayId\":\"gw-7\",\"leaseSeconds\":30,\"at\":\"2026-11-25T08:00:05Z\"}"));
        assertEquals(GatewayLease.of("gw-7", 30, Instant.parse("2026-11-25T08:00:05Z")),
                ((Decoded.Ok<GatewayLease>) gw).value());
    }

    /** {@code incarnation} is optional on leases and presence events; when sent, it is a short non-blank id. */
    @Test
    void decode_incarnation_isOptionalAndBounded() {
        var gateways = ContractCodec.gateways();
        String lease = "{\"v\":1,\"type\":\"gateway\",\"gatewayId\":\"gw-7\",\"leaseSeconds\":30,\"at\":\"2026-11-25T08:00:05Z\"%s}";
        var ok = assertInstanceOf(Decoded.Ok.class, gateways.decode(utf8(lease.formatted(",\"incarnation\":\"b-1\""))));
        assertEquals("b-1", ((GatewayLease) ok.value()).incarnation());
        var number = assertInstanceOf(Decoded.Ok.class, gateways.decode(utf8(lease.formatted(",\"incarnation\":1764057600"))));
        assertEquals("1764057600", ((GatewayLease) number.value()).incarnation());
        assertInstanceOf(Decoded.Invalid.class, gateways.decode(utf8(lease.formatted(",\"incarnation\":\" \""))));
        assertInstanceOf(Decoded.Invalid.class, gateways.decode(utf8(lease.formatted(
                ",\"incarnation\":\"" + "x".repeat(GatewayLease.MAX_INCARNATION_LENGTH + 1) + "\""))));

        String presence = "{\"v\":1,\"type\":\"presence\",\"userId\":\"u42\",\"deviceId\":\"d1\",\"state\":\"online\",\"gatewayId\":\"gw-7\",\"at\":\"2026-11-25T08:00:01Z\"%s}";
        var p = assertInstanceOf(Decoded.Ok.class, events.decode(utf8(presence.formatted(",\"incarnation\":\"b-1\""))));
        assertEquals("b-1", ((PresenceEvent) p.value()).incarnation());
        var none = assertInstanceOf(Decoded.Ok.class, events.decode(utf8(presence.formatted(""))));
        assertEquals(null, ((PresenceEvent) none.value()).incarnation());
        assertInstanceOf(Decoded.Invalid.class, events.decode(utf8(presence.formatted(
                ",\"incarnation\":\"" + "x".repeat(GatewayLease.MAX_INCARNATION_LENGTH + 1) + "\""))));
    }

    @Test
    void decode_unknownFields_areIgnored() {
        var d = events.decode(utf8("{\"v\":1,\"type\":\"presence\",\"userId\":\"u\",\"deviceId\":\"d\",\"state\":\"offline\",\"at\":\"2026-11-25T08:00:01Z\",\"futureField\":{\"x\":[1,2]}}"));
        var ok = assertInstanceOf(Decoded.Ok.class, d);
        assertEquals(PresenceEvent.State.OFFLINE, ((PresenceEvent) ok.value()).state());
    }

    static List<Arguments> hostile() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        return List.of(
                Arguments.of("truncated", utf8("{\"v\":1,\"type\":\"presence\",\"userId\":"), DeadLetterReason.MALFORMED),
                Arguments.of("not json", utf8("hello"), DeadLetterReason.MALFORMED),
                Arguments.of("empty", new byte[0], DeadLetterReason.MALFORMED),
                Arguments.of("json null", utf8("null"), DeadLetterReason.MALFORMED),
                Arguments.of("invalid utf-8", new byte[] {'{', '"', 'v', '"', ':', (byte) 0xC3, (byte) 0x28, '}'}, DeadLetterReason.MALFORMED),
                Arguments.of("deep nesting", utf8("{\"v\":1,\"type\":\"mute\",\"x\":" + deep + "}"), DeadLetterReason.MALFORMED),
                Arguments.of("unknown type", utf8("{\"v\":1,\"type\":\"teleport\",\"userId\":\"u\"}"), DeadLetterReason.UNKNOWN_TYPE),
                Arguments.of("missing type", utf8("{\"v\":1,\"userId\":\"u\"}"), DeadLetterReason.UNKNOWN_TYPE),
                Arguments.of("unknown version", utf8("{\"v\":7,\"type\":\"presence\",\"userId\":\"u\",\"deviceId\":\"d\",\"state\":\"offline\",\"at\":\"2026-11-25T08:00:01Z\"}"), DeadLetterReason.UNSUPPORTED_VERSION),
                Arguments.of("missing version", utf8("{\"type\":\"presence\",\"userId\":\"u\",\"deviceId\":\"d\",\"state\":\"offline\",\"at\":\"2026-11-25T08:00:01Z\"}"), DeadLetterReason.UNSUPPORTED_VERSION),
                Arguments.of("wrong type", utf8("{\"v\":1,\"type\":\"message\",\"messageId\":\"m\",\"userId\":\"u\",\"conversationId\":\"c\",\"sentAt\":\"2026-11-25T08:00:01Z\",\"ttlSeconds\":\"soon\"}"), DeadLetterReason.INVALID),
                Arguments.of("bad enum", utf8("{\"v\":1,\"type\":\"presence\",\"userId\":\"u\",\"deviceId\":\"d\",\"state\":\"sleeping\",\"at\":\"2026-11-25T08:00:01Z\"}"), DeadLetterReason.INVALID),
                Arguments.of("missing field", utf8("{\"v\":1,\"type\":\"routed\",\"userId\":\"u\",\"deviceId\":\"d\",\"at\":\"2026-11-25T08:00:01Z\"}"), DeadLetterReason.INVALID),
                Arguments.of("oversized", utf8("{\"v\":1,\"type\":\"mute\",\"userId\":\"" + "x".repeat(70_000) + "\"}"), DeadLetterReason.OVERSIZED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void decode_hostileInput_isInvalidWithReason_neverThrows(String name, byte[] bytes, DeadLetterReason reason) {
        var invalid = assertInstanceOf(Decoded.Invalid.class, events.decode(bytes));
        assertEquals(reason, invalid.reason(), invalid.detail());
        assertTrue(!invalid.detail().isBlank());
    }

    @Test
    void decode_absentPrimitives_defaultToFalseAndZero() {
        var ok = assertInstanceOf(Decoded.Ok.class, events.decode(utf8(
                "{\"v\":1,\"type\":\"device\",\"action\":\"unregister\",\"userId\":\"u\",\"deviceId\":\"d\"}")));
        assertEquals(false, ((DeviceEvent) ok.value()).sandbox());
    }

    @Test
    void decode_read_withAndWithoutTheRemainingCount() {
        var read = (ReadEvent) assertInstanceOf(Decoded.Ok.class, events.decode(utf8(
                "{\"v\":1,\"type\":\"read\",\"userId\":\"u42\",\"conversationId\":\"c-17\","
                        + "\"readUpTo\":\"2026-11-25T08:00:02Z\",\"at\":\"2026-11-25T08:01:00Z\"}"))).value();
        assertEquals(Instant.parse("2026-11-25T08:00:02Z"), read.readUpToOrAt());
        assertEquals(null, read.unread());
        var invalid = assertInstanceOf(Decoded.Invalid.class, events.decode(utf8(
                "{\"v\":1,\"type\":\"read\",\"userId\":\"u42\",\"unread\":-1,\"at\":\"2026-11-25T08:01:00Z\"}")));
        assertTrue(invalid.detail().contains("conversationId is required"), invalid.detail());
        assertTrue(invalid.detail().contains("unread must lie between 0 and 999999"), invalid.detail());
    }

    @Test
    void decode_preferences_quietHoursInTheUsersZone() {
        String json = "{\"v\":1,\"type\":\"preferences\",\"userId\":\"u42\",\"quietHours\":{\"from\":\"22:00\","
                + "\"to\":\"07:30\",\"zone\":\"%s\",\"mode\":\"drop\",\"allowMentions\":true},\"at\":\"2026-12-04T08:00:00Z\"}";
        var prefs = (PreferencesEvent) assertInstanceOf(Decoded.Ok.class,
                events.decode(utf8(json.formatted("Asia/Shanghai")))).value();
        QuietHours q = prefs.quietHours();
        assertEquals(QuietHours.Mode.DROP, q.modeOrDefault());
        assertTrue(q.allowMentions());
        assertTrue(q.isQuiet(Instant.parse("2026-12-04T14:00:00Z")), "22:00 in Shanghai");
        assertTrue(q.isQuiet(Instant.parse("2026-12-04T23:29:00Z")), "07:29 the next morning");
        assertFalse(q.isQuiet(Instant.parse("2026-12-04T23:30:00Z")), "07:30: over");
        assertFalse(q.isQuiet(Instant.parse("2026-12-04T13:59:00Z")), "21:59: not yet");
        assertInstanceOf(Decoded.Ok.class, events.decode(utf8(json.formatted("UTC+08:00"))));

        var unknownZone = assertInstanceOf(Decoded.Invalid.class, events.decode(utf8(json.formatted("Mars/Olympus"))));
        assertTrue(unknownZone.detail().contains("quietHours.zone 'Mars/Olympus' is not a time zone id"), unknownZone.detail());
        var badTime = assertInstanceOf(Decoded.Invalid.class, events.decode(utf8(json.formatted("UTC")
                .replace("07:30", "24:00").replace("22:00", "7pm"))));
        assertTrue(badTime.detail().contains("quietHours.from must be HH:mm"), badTime.detail());
        assertTrue(badTime.detail().contains("quietHours.to must be HH:mm"), badTime.detail());
        var none = (PreferencesEvent) assertInstanceOf(Decoded.Ok.class, events.decode(utf8(
                "{\"v\":1,\"type\":\"preferences\",\"userId\":\"u42\",\"at\":\"2026-12-04T08:00:00Z\"}"))).value();
        assertEquals(null, none.quietHours());
    }

    @Test
    void decode_messageWithRouteAndLocalizedText_andTheirBounds() {
        String json = "{\"v\":1,\"type\":\"message\",\"messageId\":\"m-1\",\"userId\":\"u42\",\"conversationId\":\"c-17\","
                + "\"sentAt\":\"2026-11-25T08:00:02Z\",\"route\":\"%s\",\"localized\":%s}";
        var m = (MessageEvent) assertInstanceOf(Decoded.Ok.class, events.decode(utf8(json.formatted("chat://c-17",
                "{\"titleKey\":\"MSG_FROM\",\"titleArgs\":[\"Alice\"],\"bodyKey\":\"MSG\"}")))).value();
        assertEquals("chat://c-17", m.route());
        assertEquals(List.of("Alice"), m.localized().titleArgs());
        assertEquals(List.of(), m.localized().bodyArgs());
        var invalid = assertInstanceOf(Decoded.Invalid.class, events.decode(utf8(json.formatted("r".repeat(1025),
                "{\"titleArgs\":[\"Alice\"]}"))));
        assertTrue(invalid.detail().contains("route is longer than 1024"), invalid.detail());
        assertTrue(invalid.detail().contains("localized needs titleKey or bodyKey"), invalid.detail());
    }

    @Test
    void decode_missingField_namesTheField() {
        var invalid = (Decoded.Invalid<ImEvent>) events.decode(utf8(
                "{\"v\":1,\"type\":\"routed\",\"userId\":\"u\",\"deviceId\":\"d\",\"at\":\"2026-11-25T08:00:01Z\"}"));
        assertTrue(invalid.detail().contains("messageId is required"), invalid.detail());
    }

    @Test
    void job_roundTrips_andRejectsEmptyTargets() {
        var codec = ContractCodec.jobs(ContractCodec.DEFAULT_MAX_BYTES);
        PushJob job = PushJob.of("m1", "u1", "c1",
                new Notification("Alice", "hi", 2, "default", "m1", "c1", Priority.HIGH, false,
                        Map.of(Notification.MESSAGE_ID_KEY, "m1")),
                List.of(new PushTarget("d1", Channel.FCM, "tok", "com.example", false)),
                Instant.parse("2026-11-25T08:00:00Z"), Instant.parse("2026-11-26T08:00:00Z"));
        var ok = assertInstanceOf(Decoded.Ok.class, codec.decode(codec.encode(job)));
        assertEquals(job, ok.value());
        var invalid = assertInstanceOf(Decoded.Invalid.class, codec.decode(codec.encode(job.withTargets(List.of()))));
        assertEquals(DeadLetterReason.INVALID, invalid.reason());
    }

    /** The flags most jobs do not set stay off the wire; set, they travel and round-trip. */
    @Test
    void job_quietCallAndVoipFlags_areWrittenOnlyWhenSet() {
        var codec = ContractCodec.jobs(ContractCodec.DEFAULT_MAX_BYTES);
        Notification plain = new Notification("Alice", "hi", null, "default", "m1", "c1", Priority.HIGH, false, Map.of());
        PushJob job = PushJob.of("m1", "u1", "c1", plain, List.of(new PushTarget("d1", Channel.APNS, "tok", "app", false)),
                Instant.parse("2026-11-25T08:00:00Z"), null);
        String json = new String(codec.encode(job), StandardCharsets.UTF_8);
        assertFalse(json.contains("passive") || json.contains("\"call\"") || json.contains("voip")
                || json.contains("localized"), json);

        PushJob flagged = PushJob.of("m1", "u1", "c1", new Notification("Alice", "hi", null, null, "m1", "c1",
                        Priority.HIGH, false, Map.of(), true, new LocalizedText("K", List.of("a"), null, List.of()), true, true),
                List.of(new PushTarget("d1", Channel.APNS, "tok", "app", false, null, true)),
                Instant.parse("2026-11-25T08:00:00Z"), null);
        assertEquals(flagged, assertInstanceOf(Decoded.Ok.class, codec.decode(codec.encode(flagged))).value());
    }
}
