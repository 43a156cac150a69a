package dev.impush.worker.channel.meizu;

import dev.impush.model.job.Notification;
import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static dev.impush.worker.channel.meizu.MeizuFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeizuPayloadTest {
    private final MeizuPayload payload = new MeizuPayload(MeizuConfig.of(MeizuFixtures.APP_ID, MeizuFixtures.SECRET),
            Clock.fixed(NOW, ZoneOffset.UTC));

    private static JsonNode message(MeizuPayload.Request r) throws Exception {
        return Json.mapper().readTree(r.form().get("messageJson"));
    }

    @Test
    void render_chatMessage_isPrivateNotificationWithDeepLinkAndNotifyKey() throws Exception {
        MeizuPayload.Request r = payload.render(MeizuFixtures.delivery("m-1", "d-1", "push-1"));

        assertEquals(MeizuPayload.NOTIFICATION_PATH, r.path());
        assertEquals(MeizuFixtures.APP_ID, r.form().get("appId"));
        assertEquals("push-1", r.form().get("pushIds"));
        JsonNode m = message(r);
        assertEquals(1, m.path("noticeBarInfo").path("noticeMsgType").asInt());
        assertEquals("Alice", m.path("noticeBarInfo").path("title").asText());
        assertEquals("hello", m.path("noticeBarInfo").path("content").asText());
        JsonNode params = m.path("clickTypeInfo").path("parameters");
        assertEquals("m-1", params.path("messageId").asText());
        assertEquals("conv-1", params.path("conversationId").asText());
        assertEquals("impush://conv/1", params.path("deepLink").asText());
        assertEquals("c-m-1", m.path("advanceInfo").path("notifyKey").asText(), "the collapse id");
        assertEquals(1, m.path("pushTimeInfo").path("offLine").asInt());
        assertEquals(1, m.path("pushTimeInfo").path("validTime").asInt());
    }

    @Test
    void render_signsTheFormWithTheSecret() {
        MeizuPayload.Request r = payload.render(MeizuFixtures.delivery("m-1", "d-1", "push-1"));
        Map<String, String> unsigned = new LinkedHashMap<>(r.form());
        unsigned.remove("sign");

        assertEquals(MeizuSign.sign(unsigned, MeizuFixtures.SECRET), r.form().get("sign"));
    }

    @Test
    void sign_knownVector_matchesFlymeRecipe() {
        // md5("appId=100999" + "messageJson={\"a\":\"中\"}" + "pushIds=p1,p2" + "s3cret"): sorted, raw, secret last
        Map<String, String> params = Map.of("pushIds", "p1,p2", "appId", "100999", "messageJson", "{\"a\":\"中\"}",
                "sign", "ignored");

        assertEquals("0168439acdf800f6c0d4f816e79b196c", MeizuSign.sign(params, "s3cret"));
    }

    @Test
    void render_longTexts_areTrimmedToFlymeLimits() throws Exception {
        Delivery d = MeizuFixtures.delivery("m-2", "d", "t",
                MeizuFixtures.notification("m-2", "😀".repeat(40), "长".repeat(300), false), NOW.plusSeconds(60));

        JsonNode bar = message(payload.render(d)).path("noticeBarInfo");

        String title = bar.path("title").asText();
        String content = bar.path("content").asText();
        assertEquals(MeizuPayload.MAX_TITLE, title.codePointCount(0, title.length()));
        assertEquals(MeizuPayload.MAX_CONTENT, content.codePointCount(0, content.length()));
        assertTrue(title.endsWith("…"));
    }

    @Test
    void validHours_roundsUpAndClampsToOneToSeventyTwo() {
        assertEquals(1, payload.validHours(at(Duration.ofSeconds(-5))));
        assertEquals(1, payload.validHours(at(Duration.ofMinutes(1))));
        assertEquals(2, payload.validHours(at(Duration.ofMinutes(61))));
        assertEquals(72, payload.validHours(at(Duration.ofDays(10))));
        Delivery noExpiry = MeizuFixtures.delivery("m", "d", "t", MeizuFixtures.notification("m", "a", "b", false), null);
        assertEquals(24, payload.validHours(noExpiry));
    }

    @Test
    void notifyKey_longMessageId_isStable32HexDigits() {
        String key = MeizuPayload.notifyKey("x".repeat(60));

        assertEquals(32, key.length());
        assertEquals(key, MeizuPayload.notifyKey("x".repeat(60)));
        assertTrue(!key.equals(MeizuPayload.notifyKey("y".repeat(60))));
    }

    @Test
    void render_silent_isPassThroughWithDataAsContent() throws Exception {
        Delivery d = MeizuFixtures.delivery("m-3", "d", "t", MeizuFixtures.notification("m-3", "Alice", "secret", true),
                NOW.plusSeconds(60));

        MeizuPayload.Request r = payload.render(d);

        assertEquals(MeizuPayload.PASS_THROUGH_PATH, r.path());
        JsonNode m = message(r);
        assertTrue(m.path("noticeBarInfo").isMissingNode());
        assertEquals("m-3", Json.mapper().readTree(m.path("content").asText()).path("messageId").asText());
    }

    @Test
    void render_publicClassConfigured_isSentAsConfigured() throws Exception {
        MeizuPayload publicPayload = new MeizuPayload(MeizuConfig.fromEnv(VendorFixtures.env(MeizuConfig.APP_ID,
                MeizuFixtures.APP_ID, MeizuConfig.APP_SECRET, MeizuFixtures.SECRET, MeizuConfig.NOTICE_MSG_TYPE, "0"))
                .orElseThrow(), Clock.fixed(NOW, ZoneOffset.UTC));

        JsonNode m = message(publicPayload.render(MeizuFixtures.delivery("m-4", "d", "t")));

        assertEquals(0, m.path("noticeBarInfo").path("noticeMsgType").asInt());
    }

    private static Delivery at(Duration left) {
        return MeizuFixtures.delivery("m", "d", "t", MeizuFixtures.notification("m", "a", "b", false), NOW.plus(left));
    }

    @Test
    void render_route_opensTheUri() throws Exception {
        String route = "chat://conversation/c-17";
        Delivery d = MeizuFixtures.delivery("m-1", "d-1", "push-1",
                VendorFixtures.notification("m-1", "Alice", "hi", false, Map.of(Notification.ROUTE_KEY, route)), NOW.plusSeconds(60));
        JsonNode click = message(payload.render(d)).path("clickTypeInfo");
        assertEquals(2, click.path("clickType").asInt());
        assertEquals(route, click.path("url").asText());
        assertEquals(0, message(payload.render(MeizuFixtures.delivery("m-1", "d-1", "push-1"))).path("clickTypeInfo")
                .path("clickType").asInt(), "without a route: open the app");
    }
}
