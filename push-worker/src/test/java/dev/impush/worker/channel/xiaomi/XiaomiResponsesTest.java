package dev.impush.worker.channel.xiaomi;

import dev.impush.worker.channel.http.VendorSettings;
import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.QuotaDay;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class XiaomiResponsesTest {
    /** 2026-03-01 20:00 in Shanghai: the quota resets at 2026-03-02T00:00+08:00. */
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant NEXT_RESET = Instant.parse("2026-03-01T16:00:00Z");
    private static final Duration BACKOFF = Duration.ofSeconds(42);
    private static final String TOKEN = "regid-1";
    private final XiaomiResponses responses =
            new XiaomiResponses(XiaomiConfig.fromEnv(VendorFixtures.env(XiaomiConfig.APP_SECRET, "s",
                    XiaomiConfig.CHANNEL_ID, "c", "IMPUSH_XIAOMI_RATE_LIMIT_BACKOFF_MS", Long.toString(BACKOFF.toMillis())))
                    .orElseThrow());

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(20301, SendOutcome.InvalidToken.class), Arguments.of(10029, SendOutcome.InvalidToken.class),
                Arguments.of(10001, SendOutcome.Retry.class), Arguments.of(10002, SendOutcome.Retry.class),
                Arguments.of(10003, SendOutcome.Retry.class), Arguments.of(10009, SendOutcome.Retry.class),
                Arguments.of(10011, SendOutcome.Retry.class), Arguments.of(26003, SendOutcome.Retry.class),
                Arguments.of(10022, SendOutcome.RateLimited.class), Arguments.of(10023, SendOutcome.RateLimited.class),
                Arguments.of(10024, SendOutcome.RateLimited.class), Arguments.of(10027, SendOutcome.RateLimited.class),
                Arguments.of(10028, SendOutcome.RateLimited.class), Arguments.of(26004, SendOutcome.RateLimited.class),
                Arguments.of(10034, SendOutcome.RateLimited.class),
                Arguments.of(21301, SendOutcome.Rejected.class), Arguments.of(21302, SendOutcome.Rejected.class),
                Arguments.of(22007, SendOutcome.Rejected.class), Arguments.of(22008, SendOutcome.Rejected.class),
                Arguments.of(10008, SendOutcome.Rejected.class), Arguments.of(10016, SendOutcome.Rejected.class),
                Arguments.of(10017, SendOutcome.Rejected.class), Arguments.of(10018, SendOutcome.Rejected.class),
                Arguments.of(22022, SendOutcome.Rejected.class), Arguments.of(10031, SendOutcome.Rejected.class),
                Arguments.of(27001, SendOutcome.Rejected.class), Arguments.of(65009, SendOutcome.Rejected.class),
                Arguments.of(99999, SendOutcome.Rejected.class));
    }

    @ParameterizedTest(name = "code {0} -> {1}")
    @MethodSource("codes")
    void map_vendorCode_givesTheTableOutcome(int code, Class<? extends SendOutcome> expected) {
        SendOutcome outcome = responses.map(200, error(code), TOKEN, NOW);

        assertInstanceOf(expected, outcome, outcome::toString);
        if (outcome instanceof SendOutcome.Rejected r) {
            assertTrue(r.reason().contains(Integer.toString(code)), r::reason);
        }
        if (outcome instanceof SendOutcome.RateLimited limited) {
            assertEquals(code == 10034 ? NEXT_RESET : NOW.plus(BACKOFF), limited.until());
        }
    }

    @Test
    void map_okWithTokenInBadRegids_isInvalidToken() {
        JsonNode ok = json(Map.of("result", "ok", "code", 0, "data", Map.of("id", "x", "bad_regids", "other," + TOKEN)));

        assertInstanceOf(SendOutcome.InvalidToken.class, responses.map(200, ok, TOKEN, NOW));
        assertEquals(SendOutcome.DELIVERED, responses.map(200, ok, "regid-2", NOW));
    }

    @Test
    void map_ok_isDelivered() {
        assertEquals(SendOutcome.DELIVERED, responses.map(200, json(Map.of("result", "ok", "code", 0)), TOKEN, NOW));
    }

    @Test
    void map_httpFailures_retryOrRateLimit() {
        JsonNode empty = Json.mapper().createObjectNode();
        assertInstanceOf(SendOutcome.Retry.class, responses.map(503, empty, TOKEN, NOW));
        assertInstanceOf(SendOutcome.Retry.class, responses.map(500, error(21301), TOKEN, NOW));
        assertInstanceOf(SendOutcome.Retry.class, responses.map(200, empty, TOKEN, NOW));
        assertEquals(NOW.plus(BACKOFF), ((SendOutcome.RateLimited) responses.map(429, empty, TOKEN, NOW)).until());
        assertInstanceOf(SendOutcome.Rejected.class, responses.map(403, empty, TOKEN, NOW));
    }

    @Test
    void map_override_winsOverTheTable() {
        XiaomiResponses overridden = new XiaomiResponses(XiaomiConfig.fromEnv(VendorFixtures.env(
                XiaomiConfig.APP_SECRET, "s", XiaomiConfig.CHANNEL_ID, "c",
                XiaomiConfig.CODE_OVERRIDES, "20301=rejected,12345=retry")).orElseThrow());

        assertInstanceOf(SendOutcome.Rejected.class, overridden.map(200, error(20301), TOKEN, NOW));
        assertInstanceOf(SendOutcome.Retry.class, overridden.map(200, error(12345), TOKEN, NOW));
    }

    @Test
    void nextReset_isMidnightInTheQuotaZone() {
        assertEquals(NEXT_RESET, QuotaDay.nextMidnight(NOW, VendorSettings.DEFAULT_QUOTA_ZONE));
        assertEquals(Instant.parse("2026-03-01T16:00:00Z"),
                QuotaDay.nextMidnight(Instant.parse("2026-02-28T16:00:00Z"), VendorSettings.DEFAULT_QUOTA_ZONE));
    }

    private static JsonNode error(int code) {
        return json(Map.of("result", "error", "code", code, "description", "d", "reason", "r", "trace_id", "t"));
    }

    private static JsonNode json(Object value) {
        return Json.mapper().valueToTree(value);
    }
}
