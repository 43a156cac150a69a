package dev.impush.worker.channel.oppo;

import static dev.impush.worker.channel.oppo.OppoFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.VendorFixtures;
import dev.impush.worker.receipt.ReceiptSettings;
import dev.impush.worker.receipt.ReceiptTag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OppoPayloadTest {
    private static final OppoConfig CONFIG = OppoConfig.of("key", "master");
    private final OppoPayload payload = new OppoPayload(CONFIG, Clock.fixed(NOW, ZoneOffset.UTC));

    @SuppressWarnings("unchecked")
    private static Map<String, Object> notification(Map<String, Object> message) {
        return (Map<String, Object>) message.get("notification");
    }

    @Test
    void render_longTitleAndBody_areTruncatedToOppoLimitsOnCodePoints() {
        var n = OppoFixtures.notification("m1", "😀".repeat(80), "字".repeat(300), Map.of());
        var shown = notification(payload.render(OppoFixtures.delivery("m1", "d1", "t1", n, NOW.plusSeconds(600))));

        String title = (String) shown.get("title");
        String content = (String) shown.get("content");
        assertEquals(OppoPayload.MAX_TITLE, title.codePointCount(0, title.length()));
        assertEquals(OppoPayload.MAX_CONTENT, content.codePointCount(0, content.length()));
        assertTrue(content.endsWith("…"));
    }

    @Test
    void render_withReceipts_asksForThem_withASignedTag() {
        ReceiptSettings receipts = ReceiptSettings.fromEnv(Env.of(Map.of(ReceiptSettings.URL,
                "https://push.example.com/receipts", ReceiptSettings.KEY, "0123456789abcdef"))).orElseThrow();
        var shown = notification(new OppoPayload(CONFIG, Clock.fixed(NOW, ZoneOffset.UTC), receipts)
                .render(OppoFixtures.delivery("m1", "d1", "t1")));
        assertEquals("https://push.example.com/receipts/oppo", shown.get("call_back_url"));
        assertTrue(ReceiptTag.verify("0123456789abcdef".getBytes(StandardCharsets.UTF_8),
                (String) shown.get("call_back_parameter")).isPresent());
        assertFalse(notification(payload.render(OppoFixtures.delivery("m1", "d1", "t1"))).containsKey("call_back_url"));
    }

    @Test
    void render_default_isPrivateImChannelToOneRegistrationId() throws Exception {
        Map<String, Object> message = payload.render(OppoFixtures.delivery("m1", "d1", "t1"));
        var shown = notification(message);

        assertEquals(2, message.get("target_type"));
        assertEquals("t1", message.get("target_value"));
        assertEquals(OppoConfig.DEFAULT_CHANNEL_ID, shown.get("channel_id"));
        assertEquals("IM", shown.get("category"));
        assertEquals(2, shown.get("notify_level"));
        assertEquals(DeliveryIds.maskedNotifyId("c-m1"), shown.get("notify_id"));
        assertEquals("m1:d1", shown.get("app_message_id"));
        JsonNode params = Json.mapper().readTree((String) shown.get("action_parameters"));
        assertEquals("m1", params.path("messageId").asText());
        assertEquals("conv-1", params.path("conversationId").asText());
        assertEquals("impush://conv/1", params.path("deepLink").asText());
    }

    @Test
    void render_categoryAndLevelUnset_areOmitted() {
        var p = new OppoPayload(OppoConfig.fromEnv(VendorFixtures.env(OppoConfig.APP_KEY, "key",
                OppoConfig.MASTER_SECRET, "master", OppoConfig.CHANNEL_ID, "im", OppoConfig.CATEGORY, "none",
                OppoConfig.NOTIFY_LEVEL, "0")).orElseThrow(), Clock.fixed(NOW, ZoneOffset.UTC));
        var shown = notification(p.render(OppoFixtures.delivery("m1", "d1", "t1")));

        assertFalse(shown.containsKey("category"));
        assertFalse(shown.containsKey("notify_level"));
        assertEquals("im", shown.get("channel_id"));
    }

    @Test
    void render_ttl_isClampedToTenDays() {
        var n = OppoFixtures.notification("m1", "a", "b", Map.of());
        assertEquals(Duration.ofDays(10).toSeconds(),
                notification(payload.render(OppoFixtures.delivery("m1", "d1", "t1", n, NOW.plus(Duration.ofDays(30))))).get("off_line_ttl"));
        assertEquals(1L, notification(payload.render(OppoFixtures.delivery("m1", "d1", "t1", n, NOW.minusSeconds(5)))).get("off_line_ttl"));
        assertEquals(3600L, notification(payload.render(OppoFixtures.delivery("m1", "d1", "t1"))).get("off_line_ttl"));
    }

    @Test
    void render_blankTitle_usesFallbackText() {
        var n = OppoFixtures.notification("m1", " ", "hi", Map.of());
        assertEquals(OppoConfig.DEFAULT_FALLBACK_TEXT,
                notification(payload.render(OppoFixtures.delivery("m1", "d1", "t1", n, null))).get("title"));
    }

    @Test
    void sign_isLowercaseSha256OfAppKeyTimestampMasterSecret() throws Exception {
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest("key1700000000000master".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals(expected, OppoChannel.sign("key", 1700000000000L, "master"));
    }

    @Test
    void render_route_isAnIntentSchemeUrl() {
        String route = "chat://conversation/c-17";
        var shown = notification(payload.render(OppoFixtures.delivery("m1", "d1", "t1",
                OppoFixtures.notification("m1", "a", "b", Map.of(Notification.ROUTE_KEY, route)), NOW.plusSeconds(600))));
        assertEquals(5, shown.get("click_action_type"));
        assertEquals(route, shown.get("click_action_url"));
        assertEquals(null, shown.get("click_action_activity"));
    }
}
