package dev.impush.worker.channel.xiaomi;

import static dev.impush.worker.channel.xiaomi.XiaomiFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.VendorFixtures;
import dev.impush.worker.receipt.ReceiptSettings;
import dev.impush.worker.receipt.ReceiptTag;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XiaomiPayloadTest {
    private final XiaomiPayload payload = new XiaomiPayload(
            XiaomiConfig.fromEnv(VendorFixtures.env(XiaomiConfig.APP_SECRET, XiaomiFixtures.SECRET,
                    XiaomiConfig.CHANNEL_ID, XiaomiFixtures.CHANNEL_ID, XiaomiConfig.CHANNEL_IDS,
                    "other.app=other_private")).orElseThrow(),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void render_chatMessage_isPrivateChannelNotificationWithStableNotifyId() throws Exception {
        Map<String, String> form = payload.render(XiaomiFixtures.delivery("m-1", "d-1", "tok-1"));

        assertEquals("tok-1", form.get("registration_id"));
        assertEquals(XiaomiFixtures.PACKAGE, form.get("restricted_package_name"));
        assertEquals("0", form.get("pass_through"));
        assertEquals("Alice", form.get("title"));
        assertEquals("hello", form.get("description"));
        assertEquals("-1", form.get("notify_type"));
        assertEquals(XiaomiFixtures.CHANNEL_ID, form.get("extra.channel_id"));
        assertEquals(Integer.toString(DeliveryIds.notifyId("c-m-1")), form.get("notify_id"), "from the collapse id");
        assertEquals("3600000", form.get("time_to_live"));
        var data = Json.mapper().readTree(URLDecoder.decode(form.get("payload"), StandardCharsets.UTF_8));
        assertEquals("m-1", data.path("messageId").asText());
        assertEquals("conv-1", data.path("conversationId").asText());
        assertEquals("impush://conv/1", data.path("deepLink").asText());
    }

    @Test
    void render_coalescedUpdate_takesTheNotifyIdOfTheFirstPush_soItReplacesIt() {
        Delivery update = XiaomiFixtures.delivery("m-20", "d-1", "tok-1",
                XiaomiFixtures.notification("m-1", "Alice and Bob", "20 new messages: hi", false), NOW.plusSeconds(60));

        assertEquals(Integer.toString(DeliveryIds.notifyId("c-m-1")), payload.render(update).get("notify_id"),
                "the first push's collapse id");
    }

    @Test
    void render_withReceipts_asksForDeliveryAndClickReceipts_withASignedTag() {
        ReceiptSettings receipts = ReceiptSettings.fromEnv(VendorFixtures.env(ReceiptSettings.URL,
                "https://push.example.com/receipts", ReceiptSettings.KEY, "0123456789abcdef")).orElseThrow();
        XiaomiPayload withReceipts = new XiaomiPayload(XiaomiConfig.fromEnv(VendorFixtures.env(XiaomiConfig.APP_SECRET,
                XiaomiFixtures.SECRET, XiaomiConfig.CHANNEL_ID, XiaomiFixtures.CHANNEL_ID)).orElseThrow(),
                Clock.fixed(NOW, ZoneOffset.UTC), receipts);
        Delivery d = XiaomiFixtures.delivery("m-1", "d-1", "tok-1");

        Map<String, String> form = withReceipts.render(d);

        assertEquals("https://push.example.com/receipts/xiaomi", form.get("extra.callback"));
        assertEquals("3", form.get("extra.callback.type"));
        ReceiptTag tag = ReceiptTag.verify("0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                form.get("extra.callback.param")).orElseThrow();
        assertEquals(ReceiptTag.delivery(d.job().userId(), "m-1", "d-1"), tag.delivery());
        assertEquals(NOW.getEpochSecond(), tag.sentAt().getEpochSecond());
        assertTrue(payload.render(d).keySet().stream().noneMatch(k -> k.startsWith("extra.callback")),
                "no receipts asked for when they are off");
    }

    @Test
    void notifyId_isStablePositiveAndDiffersPerMessage() {
        assertEquals(DeliveryIds.notifyId("m-1"), DeliveryIds.notifyId("m-1"));
        assertTrue(DeliveryIds.notifyId("m-1") != DeliveryIds.notifyId("m-2"));
        for (String id : new String[] {"", "polygenelubricants", "x".repeat(100), "m-" + Integer.MIN_VALUE}) {
            assertTrue(DeliveryIds.notifyId(id) > 0, id);
        }
    }

    @Test
    void render_longTexts_areTrimmedBelowMiPushLimitsOnCodePoints() {
        String title = "😀".repeat(80);
        Delivery d = XiaomiFixtures.delivery("m-2", "d", "t", XiaomiFixtures.notification("m-2", title, "长".repeat(300), false),
                NOW.plusSeconds(60));

        Map<String, String> form = payload.render(d);

        String t = form.get("title");
        assertEquals(XiaomiPayload.MAX_TITLE, t.codePointCount(0, t.length()));
        assertTrue(t.endsWith("…") && Character.isSurrogatePair(t.charAt(t.length() - 3), t.charAt(t.length() - 2)));
        String desc = form.get("description");
        assertEquals(XiaomiPayload.MAX_DESCRIPTION, desc.codePointCount(0, desc.length()));
    }

    @Test
    void render_hiddenPreview_usesTitleAsDescription() {
        Map<String, String> form = payload.render(XiaomiFixtures.delivery("m-3", "d", "t",
                XiaomiFixtures.notification("m-3", "Alice", "", false), NOW.plusSeconds(60)));

        assertEquals("Alice", form.get("description"));
    }

    @Test
    void render_ttl_isClampedToTwoWeeksAndAtLeastOneSecond() {
        Delivery far = XiaomiFixtures.delivery("m-4", "d", "t", XiaomiFixtures.notification("m-4", "a", "b", false),
                NOW.plus(Duration.ofDays(30)));
        Delivery past = XiaomiFixtures.delivery("m-5", "d", "t", XiaomiFixtures.notification("m-5", "a", "b", false),
                NOW.minusSeconds(5));

        assertEquals(Long.toString(Duration.ofDays(14).toMillis()), payload.render(far).get("time_to_live"));
        assertEquals("1000", payload.render(past).get("time_to_live"));
    }

    @Test
    void render_noExpiry_leavesTtlToMiPushDefault() {
        Delivery d = XiaomiFixtures.delivery("m-6", "d", "t", XiaomiFixtures.notification("m-6", "a", "b", false), null);

        assertFalse(payload.render(d).containsKey("time_to_live"));
    }

    @Test
    void render_silent_isPassThroughWithoutTexts() {
        Map<String, String> form = payload.render(XiaomiFixtures.delivery("m-7", "d", "t",
                XiaomiFixtures.notification("m-7", "Alice", "secret", true), NOW.plusSeconds(60)));

        assertEquals("1", form.get("pass_through"));
        assertFalse(form.containsKey("title"));
        assertFalse(form.containsKey("description"));
    }

    @Test
    void render_perAppChannel_overridesDefault() {
        var target = new dev.impush.model.job.PushTarget("d", dev.impush.model.Channel.XIAOMI, "t", "other.app", false);
        Delivery base = XiaomiFixtures.delivery("m-8", "d", "t");
        Delivery other = new Delivery(base.job(), target);

        assertEquals("other_private", payload.render(other).get("extra.channel_id"));
    }

    @Test
    void render_route_opensTheDeepLinkThroughIntentUri() {
        String route = "chat://conversation/c-17";
        Map<String, String> form = payload.render(XiaomiFixtures.delivery("m-1", "d-1", "tok-1",
                VendorFixtures.notification("m-1", "Alice", "hi", false, Map.of(Notification.ROUTE_KEY, route)), NOW.plusSeconds(60)));
        assertEquals("2", form.get("extra.notify_effect"));
        assertEquals(route, form.get("extra.intent_uri"));
        assertEquals("1", payload.render(XiaomiFixtures.delivery("m-1", "d-1", "tok-1")).get("extra.notify_effect"),
                "without a route: launch the app");
    }
}
