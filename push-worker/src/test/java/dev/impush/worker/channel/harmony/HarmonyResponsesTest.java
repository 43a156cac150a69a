package dev.impush.worker.channel.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.worker.channel.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HarmonyResponsesTest {
    private static final Instant NOW = HarmonyFixtures.NOW;
    private static final String TOKEN = "MAMzLgAAAAAtokenOfThisDevice";
    private static final HarmonyResponses RESPONSES = new HarmonyResponses(Clock.fixed(NOW, ZoneOffset.UTC),
            HarmonyFixtures.config(Map.of("IMPUSH_HARMONY_RATE_LIMIT_BACKOFF_MS", "60000")));

    /** Every code in Huawei's reference for {@code messages:send}, and the HTTP statuses without one. */
    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(200, "80000000", SendOutcome.Delivered.class),
                Arguments.of(400, "80100001", SendOutcome.Rejected.class),
                Arguments.of(400, "80100003", SendOutcome.Rejected.class),
                Arguments.of(400, "80100004", SendOutcome.Rejected.class),
                Arguments.of(400, "80100022", SendOutcome.Rejected.class),
                Arguments.of(401, "80200001", SendOutcome.AuthExpired.class),
                Arguments.of(401, "80200005", SendOutcome.AuthExpired.class),
                Arguments.of(200, "80200005", SendOutcome.AuthExpired.class),
                Arguments.of(403, "80300002", SendOutcome.Rejected.class),
                Arguments.of(400, "80300007", SendOutcome.InvalidToken.class),
                Arguments.of(200, "80300007", SendOutcome.InvalidToken.class),
                Arguments.of(400, "80300008", SendOutcome.Rejected.class),
                Arguments.of(400, "80300010", SendOutcome.Rejected.class),
                Arguments.of(400, "80300029", SendOutcome.RateLimited.class),
                Arguments.of(400, "80300030", SendOutcome.Rejected.class),
                Arguments.of(401, "80300036", SendOutcome.Rejected.class),
                Arguments.of(403, "80300037", SendOutcome.Rejected.class),
                Arguments.of(500, "81000001", SendOutcome.Retry.class),
                Arguments.of(200, "81000001", SendOutcome.Retry.class),
                Arguments.of(502, "", SendOutcome.Retry.class),
                Arguments.of(503, "", SendOutcome.RateLimited.class),
                Arguments.of(401, "", SendOutcome.AuthExpired.class),
                Arguments.of(404, "", SendOutcome.Rejected.class),
                Arguments.of(400, "99999999", SendOutcome.Rejected.class));
    }

    @ParameterizedTest(name = "HTTP {0} code {1} -> {2}")
    @MethodSource("codes")
    void map_everyDocumentedCode_givesItsOutcome(int status, String code, Class<? extends SendOutcome> expected) {
        String body = code.isEmpty() ? "" : "{\"code\":\"" + code + "\",\"msg\":\"m\",\"requestId\":\"r\"}";

        SendOutcome outcome = RESPONSES.map(status, body, Optional.empty(), TOKEN);

        assertInstanceOf(expected, outcome, outcome::toString);
        if (!(outcome instanceof SendOutcome.Delivered) && !code.isEmpty()) {
            assertTrue(outcome.toString().contains(code), outcome::toString);
        }
    }

    @Test
    void flowControlAndQuota_holdOffForTheBackoffOrUntilShanghaiMidnight() {
        assertEquals(NOW.plusSeconds(60), ((SendOutcome.RateLimited) RESPONSES.map(503, "", Optional.empty(), TOKEN)).until());
        assertEquals(NOW.plusSeconds(7), ((SendOutcome.RateLimited) RESPONSES.map(503, "", Optional.of(Duration.ofSeconds(7)),
                TOKEN)).until());
        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), ((SendOutcome.RateLimited) RESPONSES.map(400,
                "{\"code\":\"80300029\",\"msg\":\"When send test message, the api request exceed limit.\"}",
                Optional.empty(), TOKEN)).until());
    }

    private static String tokens(String code, String reason, String token) {
        String msg = "{\\\"illegalTokens\\\":{\\\"" + reason + "\\\":[\\\"" + token + "\\\"]},\\\"success\\\":0,\\\"failure\\\":1}";
        return "{\"code\":\"" + code + "\",\"msg\":\"" + msg + "\",\"requestId\":\"r\"}";
    }

    @Test
    void illegalTokens_aReasonThatIsNotTheTokensFault_rejectsAndKeepsTheToken() {
        SendOutcome dead = RESPONSES.map(400, tokens("80300007", "tokenFormatError", TOKEN), Optional.empty(), TOKEN);
        SendOutcome noRight = RESPONSES.map(400, tokens("80300007", "noPushTypeRight", TOKEN), Optional.empty(), TOKEN);

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, dead);
        assertEquals(NOW, invalid.invalidatedAt());
        assertTrue(invalid.reason().contains("tokenFormatError"), invalid.reason());
        SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, noRight);
        assertTrue(rejected.reason().contains("noPushTypeRight"), rejected.reason());
        assertFalse(invalid.reason().contains(TOKEN) || rejected.reason().contains(TOKEN), "a device token in a reason");
    }

    @Test
    void partialSuccess_isDeliveredUnlessOurTokenIsListed() {
        assertEquals(SendOutcome.DELIVERED, RESPONSES.map(200, tokens("80100000", "tokenFormatError", "another-token"),
                Optional.empty(), TOKEN));
        assertInstanceOf(SendOutcome.InvalidToken.class, RESPONSES.map(200, tokens("80100000", "tokenFormatError", TOKEN),
                Optional.empty(), TOKEN));
        assertEquals(Optional.of("illegalTokens"), HarmonyResponses.tokenReason("{\"illegalTokens\":[\"" + TOKEN + "\"]}", TOKEN));
        assertEquals(Optional.empty(), HarmonyResponses.tokenReason("not json", TOKEN));
    }
}
