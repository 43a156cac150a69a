package dev.impush.worker.channel.fcm;

import static dev.impush.worker.channel.fcm.FcmFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.fcm.MockFcmServer;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FcmMessageTest {
    private final FcmMessage renderer = new FcmMessage(Clock.fixed(NOW, ZoneOffset.UTC));

    /** The message as it goes on the wire. */
    private JsonNode wire(Delivery delivery) throws IOException {
        return Json.mapper().readTree(renderer.render(delivery).orElseThrow()).path("message");
    }

    @ParameterizedTest(name = "expires in {0}s -> ttl {1}")
    @CsvSource({"3600, 3600s", "-60, 0s", "0, 0s", "3000000, 2419200s"})
    void render_ttl_isTimeLeftClampedToFcmRange(long expiresInSeconds, String ttl) throws IOException {
        Delivery d = FcmFixtures.delivery("m1", "d1", "tok-1",
                FcmFixtures.notification("m1", "hi", Priority.HIGH, false), NOW.plusSeconds(expiresInSeconds));

        assertEquals(ttl, wire(d).path("android").path("ttl").asText());
    }

    @Test
    void render_noExpiry_leavesTtlToFcm() throws IOException {
        Delivery d = FcmFixtures.delivery("m1", "d1", "tok-1",
                FcmFixtures.notification("m1", "hi", Priority.HIGH, false), null);

        assertTrue(wire(d).path("android").path("ttl").isMissingNode());
    }

    @ParameterizedTest
    @CsvSource({"HIGH, high", "NORMAL, normal"})
    void render_priority_mapsToAndroidPriority(Priority priority, String wire) throws IOException {
        Delivery d = FcmFixtures.delivery("m1", "d1", "tok-1",
                FcmFixtures.notification("m1", "hi", priority, false), NOW.plusSeconds(60));

        assertEquals(wire, wire(d).path("android").path("priority").asText());
    }

    @Test
    void render_dataAndCollapse_carryIdsAndReplaceOnDevice() throws IOException {
        JsonNode m = wire(FcmFixtures.delivery("m1", "d1", "tok-1"));

        assertEquals("tok-1", m.path("token").asText());
        assertEquals("m1", m.path("data").path(Notification.MESSAGE_ID_KEY).asText());
        assertEquals("conv-1", m.path("data").path(Notification.CONVERSATION_ID_KEY).asText());
        assertEquals("impush://conv/1", m.path("data").path("deepLink").asText());
        assertEquals("c-m1", m.path("android").path("collapse_key").asText());
        assertEquals("c-m1", m.path("android").path("notification").path("tag").asText());
        assertEquals(FcmFixtures.APP_ID, m.path("android").path("restricted_package_name").asText());
        assertEquals("Alice", m.path("android").path("notification").path("title").asText());
        assertEquals("hello", m.path("android").path("notification").path("body").asText());
    }

    @Test
    void render_quiet_isLowPriorityWithoutSound() throws IOException {
        Notification n = FcmFixtures.notification("m1", "hello", Priority.HIGH, false).quiet();
        JsonNode android = wire(FcmFixtures.delivery("m1", "d1", "tok-1", n, null)).path("android");

        assertEquals("normal", android.path("priority").asText());
        assertEquals("PRIORITY_LOW", android.path("notification").path("notification_priority").asText());
        assertTrue(android.path("notification").path("sound").isMissingNode());
        assertTrue(wire(FcmFixtures.delivery("m1", "d1", "tok-1")).path("android").path("notification")
                .path("notification_priority").isMissingNode());
    }

    @Test
    void render_call_isAHighPriorityDataMessage_forTheAppsCallScreen() throws IOException {
        Notification call = new Notification("Alice", "Incoming audio call", null, "default", "call:c-1", null,
                Priority.HIGH, false, Map.of("callId", "c-1"), false, null, false, true);
        JsonNode m = wire(FcmFixtures.delivery("c-1", "d1", "tok-1", call, null));

        assertEquals("high", m.path("android").path("priority").asText());
        assertTrue(m.path("android").path("notification").isMissingNode(), "data only");
        assertEquals("c-1", m.path("data").path("callId").asText());
    }

    @Test
    void render_localized_addsTheLocKeysToTheAndroidNotification() throws IOException {
        Notification n = new Notification("Alice", "hello", null, "default", "c", null, Priority.HIGH, false, Map.of(),
                false, new LocalizedText("MSG_FROM", List.of("Alice"), "MSG_TEXT", List.of("hello")), false, false);
        JsonNode shown = wire(FcmFixtures.delivery("m1", "d1", "tok-1", n, null)).path("android").path("notification");

        assertEquals("MSG_FROM", shown.path("title_loc_key").asText());
        assertEquals("Alice", shown.path("title_loc_args").get(0).asText());
        assertEquals("MSG_TEXT", shown.path("body_loc_key").asText());
        assertEquals("hello", shown.path("body_loc_args").get(0).asText());
        assertEquals("hello", shown.path("body").asText());
    }

    @Test
    void render_contentFree_isAHighPriorityDataMessage() throws IOException {
        Notification n = new Notification(null, "New message", null, "default", "m1", null, Priority.HIGH, false,
                Map.of("messageId", "m1", "conversationId", "c-1"), false, null, true, false);
        JsonNode m = wire(FcmFixtures.delivery("m1", "d1", "tok-1", n, null));
        assertEquals("high", m.path("android").path("priority").asText());
        assertTrue(m.path("android").path("notification").isMissingNode());
        assertEquals("m1", m.path("data").path("messageId").asText());
    }

    @Test
    void render_reservedDataKeys_areDroppedNotSent() throws IOException {
        Notification n = new Notification("A", "b", null, null, "c", null, Priority.HIGH, false,
                Map.of("from", "x", "google.foo", "y", "gcm.bar", "z", "ok", "1"));
        JsonNode data = wire(FcmFixtures.delivery("m1", "d1", "t", n, null)).path("data");

        assertEquals(Map.of("ok", "1", "messageId", "m1", "conversationId", "conv-1"),
                Json.mapper().convertValue(data, Map.class));
    }

    @Test
    void render_silent_isDataOnly() throws IOException {
        Delivery d = FcmFixtures.delivery("m1", "d1", "tok-1",
                FcmFixtures.notification("m1", "secret", Priority.HIGH, true), NOW.plusSeconds(60));
        JsonNode m = wire(d);

        assertTrue(m.path("android").path("notification").isMissingNode());
        assertTrue(m.path("notification").isMissingNode());
        assertEquals("m1", m.path("data").path("messageId").asText());
    }

    @Test
    void render_hugeBody_isTrimmedOnCodePointBoundaryToFit() throws IOException {
        // 4-byte code points (emoji) and 3-byte CJK: a byte cut would split a character
        String body = "😀漢".repeat(2000);
        Delivery d = FcmFixtures.delivery("m1", "d1", "tok-" + "x".repeat(150),
                FcmFixtures.notification("m1", body, Priority.HIGH, false), NOW.plusSeconds(60));
        JsonNode m = wire(d);
        String sent = m.path("android").path("notification").path("body").asText();

        assertTrue(sent.endsWith("…"));
        assertTrue(sent.length() < body.length());
        String kept = sent.substring(0, sent.length() - 1);
        assertTrue(body.startsWith(kept));
        assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)));
        int size = MockFcmServer.size(m);
        assertTrue(size <= FcmMessage.MAX_BYTES, () -> "serialised " + size);
        // and not trimmed wastefully: more than 3/4 of the limit is used
        assertTrue(size > FcmMessage.MAX_BYTES * 3 / 4, () -> "serialised " + size);
    }

    @Test
    void render_shortBody_isUntouched() throws IOException {
        String body = "a \"quoted\" line\nand 😀";
        Delivery d = FcmFixtures.delivery("m1", "d1", "tok",
                FcmFixtures.notification("m1", body, Priority.HIGH, false), null);

        assertEquals(body, wire(d).path("android").path("notification").path("body").asText());
    }

    @Test
    void render_customDataOverTheLimit_isNoRequest() {
        Notification n = new Notification("A", "b", null, null, "c", null, Priority.HIGH, false,
                Map.of("blob", "x".repeat(FcmMessage.MAX_BYTES)));

        assertTrue(renderer.render(FcmFixtures.delivery("m1", "d1", "t", n, null)).isEmpty());
    }
}
