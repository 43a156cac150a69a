package dev.impush.worker.channel.vivo;

import static dev.impush.worker.channel.vivo.VivoFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.receipt.ReceiptSettings;
import dev.impush.worker.receipt.ReceiptTag;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VivoPayloadTest {
    private static final VivoConfig CONFIG = VivoConfig.of("1001", "key", "secret");
    private final VivoPayload payload = new VivoPayload(CONFIG, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void render_withReceipts_asksForThem_withASignedTag() {
        ReceiptSettings receipts = ReceiptSettings.fromEnv(Env.of(Map.of(ReceiptSettings.URL,
                "https://push.example.com/receipts", ReceiptSettings.KEY, "0123456789abcdef"))).orElseThrow();
        Map<String, Object> body = new VivoPayload(CONFIG, Clock.fixed(NOW, ZoneOffset.UTC), receipts)
                .render(VivoFixtures.delivery("m1", "d1", "t1"));
        @SuppressWarnings("unchecked")
        Map<String, String> extra = (Map<String, String>) body.get("extra");
        assertEquals("https://push.example.com/receipts/vivo", extra.get("callback"));
        assertTrue(ReceiptTag.verify("0123456789abcdef".getBytes(StandardCharsets.UTF_8), extra.get("callback.param"))
                .isPresent());
        assertFalse(payload.render(VivoFixtures.delivery("m1", "d1", "t1")).containsKey("extra"));
    }

    @Test
    void render_longTitleAndBody_areTruncatedToVivoLimitsOnCodePoints() {
        String emoji = "😀";
        var n = VivoFixtures.notification("m1", emoji.repeat(60), "字".repeat(150), Map.of());
        Map<String, Object> body = payload.render(VivoFixtures.delivery("m1", "d1", "t1", n, NOW.plusSeconds(600)));

        String title = (String) body.get("title");
        String content = (String) body.get("content");
        assertEquals(VivoPayload.MAX_TITLE, title.codePointCount(0, title.length()));
        assertTrue(title.endsWith("…"));
        assertEquals(VivoPayload.MAX_CONTENT, content.codePointCount(0, content.length()));
    }

    @Test
    void render_blankBody_usesFallbackText() {
        var n = VivoFixtures.notification("m1", "Alice", "", Map.of());
        Map<String, Object> body = payload.render(VivoFixtures.delivery("m1", "d1", "t1", n, NOW.plusSeconds(600)));

        assertEquals(VivoConfig.DEFAULT_FALLBACK_TEXT, body.get("content"));
    }

    @Test
    void render_default_isImSystemClassWithStableNotifyId() {
        Map<String, Object> body = payload.render(VivoFixtures.delivery("m1", "d1", "t1"));

        assertEquals(1, body.get("classification"));
        assertEquals("IM", body.get("category"));
        assertEquals("t1", body.get("regId"));
        assertEquals("1001", body.get("appId"));
        assertEquals(0, body.get("pushMode"));
        assertEquals(DeliveryIds.maskedNotifyId("c-m1"), body.get("notifyId"));
        assertTrue((int) body.get("notifyId") > 0);
        assertEquals("m1:d1", body.get("requestId"));
    }

    @Test
    void render_ttl_isClampedBetweenSixtySecondsAndSevenDays() {
        assertEquals(Duration.ofDays(7).toSeconds(),
                payload.render(VivoFixtures.delivery("m1", "d1", "t1", VivoFixtures.notification("m1", "a", "b", Map.of()),
                        NOW.plus(Duration.ofDays(30)))).get("timeToLive"));
        assertEquals(60L, payload.render(VivoFixtures.delivery("m1", "d1", "t1",
                VivoFixtures.notification("m1", "a", "b", Map.of()), NOW.plusSeconds(5))).get("timeToLive"));
        assertEquals(3600L, payload.render(VivoFixtures.delivery("m1", "d1", "t1")).get("timeToLive"));
    }

    @Test
    void render_customMap_carriesIdsFirstAndAtMostTenPairs() {
        Map<String, String> data = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            data.put("k" + i, "v" + i);
        }
        Map<String, Object> body = payload.render(VivoFixtures.delivery("m1", "d1", "t1",
                VivoFixtures.notification("m1", "a", "b", data), NOW.plusSeconds(600)));

        @SuppressWarnings("unchecked")
        Map<String, String> custom = (Map<String, String>) body.get("clientCustomMap");
        assertEquals(VivoPayload.MAX_CUSTOM_PAIRS, custom.size());
        assertEquals("m1", custom.get("messageId"));
        assertEquals("conv-1", custom.get("conversationId"));
    }

    @Test
    void render_sandboxTargetAndLongIds_useTestModeAndHashedRequestId() {
        var target = new PushTarget("d".repeat(80), Channel.VIVO, "t1", "app", true);
        var n = VivoFixtures.notification("m1", "a", "b", Map.of());
        Delivery d = new Delivery(PushJob.of("m1", "u", null, n, List.of(target), NOW, null), target);

        Map<String, Object> body = payload.render(d);

        assertEquals(1, body.get("pushMode"));
        assertEquals(64, ((String) body.get("requestId")).length());
        assertTrue(!body.containsKey("timeToLive"));
    }

    @Test
    void sign_isLowercaseMd5OfAppIdKeyTimestampSecret() {
        // md5("1001key1700000000000secret")
        String sign = VivoChannel.sign("1001", "key", 1700000000000L, "secret");
        assertEquals(32, sign.length());
        assertEquals(sign.toLowerCase(java.util.Locale.ROOT), sign);
        assertEquals(md5("1001key1700000000000secret"), sign);
    }

    private static String md5(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void render_route_opensItsInAppPage() {
        String route = "chat://conversation/c-17";
        Map<String, Object> body = payload.render(VivoFixtures.delivery("m1", "d1", "t1",
                VivoFixtures.notification("m1", "a", "b", Map.of(Notification.ROUTE_KEY, route)), NOW.plusSeconds(600)));
        assertEquals(4, body.get("skipType"));
        assertEquals(route, body.get("skipContent"));
    }
}
