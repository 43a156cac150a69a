package dev.impush.worker.channel.harmony;

import static dev.impush.worker.channel.harmony.HarmonyFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.DeliveryIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HarmonyMessageTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final HarmonyMessage MESSAGES = new HarmonyMessage(HarmonyFixtures.config(Map.of()), CLOCK);

    private static JsonNode body(HarmonyMessage.Rendered r) throws Exception {
        return Json.mapper().readTree(r.body().orElseThrow());
    }

    private static Notification notification(Map<String, String> data, Integer badge, boolean silent, boolean call) {
        return new Notification("Alice", "hello", badge, "default", "c-m1", "conv-1", Priority.HIGH, silent, data,
                false, null, false, call);
    }

    @Test
    void chat_isAnImNotificationWithNotifyIdBadgeAndTheRouteAsDeepLink() throws Exception {
        Delivery d = HarmonyFixtures.delivery("m1", "phone-1", "tok-1",
                notification(Map.of("route", "impush://conv/1"), 3, false, false), NOW.plusSeconds(600));

        HarmonyMessage.Rendered r = MESSAGES.render(d);

        assertEquals(HarmonyMessage.PushType.NOTIFICATION, r.pushType());
        JsonNode root = body(r);
        JsonNode n = root.path("payload").path("notification");
        assertEquals("IM", n.path("category").asText());
        assertEquals("Alice", n.path("title").asText());
        assertEquals("hello", n.path("body").asText());
        assertEquals(DeliveryIds.notifyId("c-m1"), n.path("notifyId").asInt());
        assertEquals(3, n.path("badge").path("setNum").asInt());
        assertFalse(n.path("foregroundShow").asBoolean(true));
        assertEquals(1, n.path("clickAction").path("actionType").asInt());
        assertEquals("impush://conv/1", n.path("clickAction").path("uri").asText());
        assertEquals("m1", n.path("clickAction").path("data").path("messageId").asText());
        assertEquals("conv-1", n.path("clickAction").path("data").path("conversationId").asText());
        assertEquals("tok-1", root.path("target").path("token").get(0).asText());
        assertEquals(600, root.path("pushOptions").path("ttl").asLong());
        assertFalse(root.path("pushOptions").has("testMessage"));
    }

    @Test
    void chat_withoutRoute_opensTheConfiguredActionElseTheHomePage() throws Exception {
        Delivery d = HarmonyFixtures.delivery("m1", "phone-1", "tok-1");
        HarmonyMessage withAction = new HarmonyMessage(HarmonyFixtures.config(Map.of(
                HarmonyConfig.CLICK_ACTION, "com.example.action.OPEN_CHAT", HarmonyConfig.TEST_MESSAGE, "true",
                HarmonyConfig.RECEIPT_ID, "RCP1")), CLOCK);

        JsonNode home = body(MESSAGES.render(d)).path("payload").path("notification").path("clickAction");
        JsonNode root = body(withAction.render(d));
        JsonNode action = root.path("payload").path("notification").path("clickAction");

        assertEquals(0, home.path("actionType").asInt());
        assertEquals(1, action.path("actionType").asInt());
        assertEquals("com.example.action.OPEN_CHAT", action.path("action").asText());
        assertTrue(root.path("pushOptions").path("testMessage").asBoolean());
        assertEquals("RCP1", root.path("pushOptions").path("receiptId").asText());
    }

    @Test
    void silent_isABackgroundMessageWithTheDataAsAJsonString() throws Exception {
        Delivery d = HarmonyFixtures.delivery("read:c1:1", "phone-1", "tok-1",
                notification(Map.of("clear", "conv-1", "badge", "2"), null, true, false), NOW.plusSeconds(3600));

        HarmonyMessage.Rendered r = MESSAGES.render(d);

        assertEquals(HarmonyMessage.PushType.BACKGROUND, r.pushType());
        assertEquals(6, r.pushType().header);
        JsonNode payload = body(r).path("payload");
        assertFalse(payload.has("notification"));
        assertTrue(payload.path("extraData").isTextual());
        JsonNode extra = Json.mapper().readTree(payload.path("extraData").asText());
        assertEquals("conv-1", extra.path("clear").asText());
        assertEquals("read:c1:1", extra.path("messageId").asText());
    }

    @Test
    void call_isAVoipCallPush_orAVoipNotificationWhenConfigured() throws Exception {
        Delivery d = HarmonyFixtures.delivery("call-1", "phone-1", "tok-1",
                notification(Map.of("callId", "call-1", "callAction", "invite"), null, false, true), NOW.plusSeconds(30));
        HarmonyMessage asNotification = new HarmonyMessage(HarmonyFixtures.config(Map.of(HarmonyConfig.CALLS, "notification")), CLOCK);

        HarmonyMessage.Rendered voip = MESSAGES.render(d);
        HarmonyMessage.Rendered shown = asNotification.render(d);

        assertEquals(10, voip.pushType().header);
        assertEquals("invite", Json.mapper().readTree(body(voip).path("payload").path("extraData").asText())
                .path("callAction").asText());
        assertEquals(30, body(voip).path("pushOptions").path("ttl").asLong());
        assertEquals(0, shown.pushType().header);
        assertEquals("VOIP", body(shown).path("payload").path("notification").path("category").asText());
    }

    @Test
    void limits_ttlBadgeAndSizeAreKeptInRange() throws Exception {
        Notification big = new Notification("Bob", "x".repeat(5000), 150, null, "c-m2", "conv-1", Priority.HIGH, false, Map.of());

        HarmonyMessage.Rendered r = MESSAGES.render(HarmonyFixtures.delivery("m2", "phone-1", "tok-1", big, null));
        HarmonyMessage.Rendered expired = MESSAGES.render(HarmonyFixtures.delivery("m3", "phone-1", "tok-1", big, NOW.minusSeconds(5)));

        assertTrue(r.body().orElseThrow().getBytes(StandardCharsets.UTF_8).length <= HarmonyMessage.MAX_BYTES);
        assertTrue(body(r).path("payload").path("notification").path("body").asText().endsWith("…"));
        assertEquals(99, body(r).path("payload").path("notification").path("badge").path("setNum").asInt());
        assertEquals(86400, body(r).path("pushOptions").path("ttl").asLong());
        assertEquals(1, body(expired).path("pushOptions").path("ttl").asLong());
    }
}
