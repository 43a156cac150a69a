package dev.impush.worker.channel.huawei;

import dev.impush.worker.channel.http.VendorFixtures;
import dev.impush.model.job.Notification;
import static dev.impush.worker.channel.huawei.HuaweiFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.DeliveryIds;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HuaweiMessageTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private static JsonNode render(HuaweiConfig config, Delivery d) throws Exception {
        String sent = new HuaweiMessage(config, CLOCK).render(d).orElseThrow();
        assertTrue(sent.getBytes(StandardCharsets.UTF_8).length <= HuaweiMessage.MAX_BYTES);
        JsonNode tree = Json.mapper().readTree(sent);
        return tree.path("message");
    }

    @Test
    void render_chatPush_isImClassWithStableNotifyIdAndDeepLinkData() throws Exception {
        Delivery d = HuaweiFixtures.delivery("msg-1", "dev-1", "tok-1");

        JsonNode m = render(HuaweiFixtures.config(Map.of()), d);

        JsonNode android = m.path("android");
        assertEquals("IM", android.path("category").asText());
        assertEquals("HIGH", android.path("urgency").asText());
        assertEquals("3600s", android.path("ttl").asText());
        JsonNode n = android.path("notification");
        assertEquals("NORMAL", n.path("importance").asText());
        assertEquals(DeliveryIds.notifyId("c-msg-1"), n.path("notify_id").asInt(), "from the collapse id");
        assertTrue(n.path("notify_id").asInt() > 0);
        assertEquals(3, n.path("click_action").path("type").asInt());
        assertTrue(n.path("badge").isMissingNode(), "no badge without a badge class");
        assertEquals("tok-1", m.path("token").get(0).asText());
        assertEquals(1, m.path("token").size());
        JsonNode data = Json.mapper().readTree(m.path("data").asText());
        assertEquals("msg-1", data.path("messageId").asText());
        assertEquals("conv-1", data.path("conversationId").asText());
        assertEquals("impush://conv/1", data.path("deepLink").asText());
    }

    @Test
    void render_configuredClassification_isUsed() throws Exception {
        HuaweiConfig config = HuaweiFixtures.config(Map.of(HuaweiConfig.CATEGORY, "VOIP",
                HuaweiConfig.IMPORTANCE, "high", HuaweiConfig.CHANNEL_ID, "chat",
                HuaweiConfig.CLICK_ACTION, "dev.impush.OPEN", HuaweiConfig.BADGE_CLASS, "dev.impush.Main"));

        JsonNode android = render(config, HuaweiFixtures.delivery("msg-2", "dev-1", "tok-1")).path("android");

        assertEquals("VOIP", android.path("category").asText());
        JsonNode n = android.path("notification");
        assertEquals("HIGH", n.path("importance").asText());
        assertEquals("chat", n.path("channel_id").asText());
        assertEquals(1, n.path("click_action").path("type").asInt());
        assertEquals("dev.impush.OPEN", n.path("click_action").path("action").asText());
        assertEquals("dev.impush.Main", n.path("badge").path("class").asText());
        assertEquals(3, n.path("badge").path("set_num").asInt());
    }

    @Test
    void render_categoryNone_omitsCategory() throws Exception {
        JsonNode android = render(HuaweiFixtures.config(Map.of(HuaweiConfig.CATEGORY, "none")),
                HuaweiFixtures.delivery("msg-3", "dev-1", "tok-1")).path("android");

        assertTrue(android.path("category").isMissingNode());
    }

    @Test
    void render_coalescedUpdate_takesTheNotifyIdOfTheFirstPush_soItReplacesIt() throws Exception {
        Delivery update = HuaweiFixtures.delivery("msg-20", "dev-1", "tok-1",
                HuaweiFixtures.notification("msg-1", "Alice and Bob", "20 new messages: hi", false), NOW.plusSeconds(60));

        JsonNode n = render(HuaweiFixtures.config(Map.of()), update).path("android").path("notification");

        assertEquals(DeliveryIds.notifyId("c-msg-1"), n.path("notify_id").asInt(), "the first push's collapse id");
    }

    @Test
    void render_withoutTitle_theBodyStandsIn_asHuaweiRequiresOne() throws Exception {
        Delivery d = HuaweiFixtures.delivery("m-1", "dev-1", "tok-1",
                HuaweiFixtures.notification("m-1", null, "New message", false), NOW.plusSeconds(60));
        assertEquals("New message", render(HuaweiFixtures.config(Map.of()), d).path("android").path("notification")
                .path("title").asText());
    }

    @Test
    void render_longTextAndFarExpiry_isTrimmedAndClampedToLimits() throws Exception {
        String title = "😀".repeat(300);
        String body = "长消息✉".repeat(3000);
        Delivery d = HuaweiFixtures.delivery("msg-4", "dev-1", "tok-1",
                HuaweiFixtures.notification("msg-4", title, body, false), NOW.plus(Duration.ofDays(60)));

        JsonNode android = render(HuaweiFixtures.config(Map.of()), d).path("android");

        assertEquals(Duration.ofDays(15).toSeconds() + "s", android.path("ttl").asText());
        String sentTitle = android.path("notification").path("title").asText();
        assertEquals(HuaweiMessage.MAX_TITLE_CHARS, sentTitle.codePointCount(0, sentTitle.length()));
        String sentBody = android.path("notification").path("body").asText();
        assertTrue(sentBody.endsWith("…") && sentBody.length() > 500, () -> sentBody.length() + " chars");
    }

    @Test
    void render_configuredMaxTtlAndPastExpiry_clampBothWays() {
        HuaweiMessage m = new HuaweiMessage(HuaweiFixtures.config(Map.of(HuaweiConfig.MAX_TTL_S, "600")), CLOCK);

        assertEquals(Duration.ofSeconds(600), m.ttl(HuaweiFixtures.delivery("a", "d", "t")));
        Delivery expired = HuaweiFixtures.delivery("b", "d", "t",
                HuaweiFixtures.notification("b", "t", "b", false), NOW.minusSeconds(5));
        assertEquals(Duration.ofSeconds(1), m.ttl(expired));
    }

    @Test
    void render_silentPush_isDataMessageWithoutNotification() throws Exception {
        Delivery d = HuaweiFixtures.delivery("msg-5", "dev-1", "tok-1",
                HuaweiFixtures.notification("msg-5", "t", "secret", true), NOW.plusSeconds(60));

        JsonNode m = render(HuaweiFixtures.config(Map.of()), d);

        assertTrue(m.path("android").path("notification").isMissingNode());
        assertEquals("msg-5", Json.mapper().readTree(m.path("data").asText()).path("messageId").asText());
    }

    @Test
    void render_hugeCustomData_cannotFit() {
        var n = new dev.impush.model.job.Notification("t", "b", null, null, null, null, null, false,
                Map.of("blob", "x".repeat(5000)));
        Delivery d = HuaweiFixtures.delivery("msg-6", "dev-1", "tok-1", n, NOW.plusSeconds(60));

        assertTrue(new HuaweiMessage(HuaweiFixtures.config(Map.of()), CLOCK).render(d).isEmpty());
    }

    @Test
    void notifyId_isStableAndPositive() {
        assertEquals(DeliveryIds.notifyId("m-42"), DeliveryIds.notifyId("m-42"));
        for (String id : new String[] {"", "a", "polygenelubricants", "GydZG_", "DESIGNING WORKHOUSES"}) {
            assertTrue(DeliveryIds.notifyId(id) > 0, id);
        }
    }

    @Test
    void render_route_isTheClickActionsIntent_overridingTheConfiguredAction() throws Exception {
        String route = "chat://conversation/c-17";
        Delivery d = HuaweiFixtures.delivery("m-1", "dev-1", "tok-1",
                VendorFixtures.notification("m-1", "Alice", "hi", false, Map.of(Notification.ROUTE_KEY, route)), NOW.plusSeconds(60));
        JsonNode click = render(HuaweiFixtures.config(Map.of(HuaweiConfig.CLICK_ACTION, "com.example.OPEN")), d)
                .path("android").path("notification").path("click_action");
        assertEquals(1, click.path("type").asInt());
        assertEquals(route, click.path("intent").asText());
        assertTrue(click.path("action").isMissingNode());
    }
}
