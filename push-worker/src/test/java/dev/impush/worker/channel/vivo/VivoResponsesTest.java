package dev.impush.worker.channel.vivo;

import dev.impush.worker.channel.http.VendorSettings;
import static dev.impush.worker.channel.vivo.VivoFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.QuotaDay;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VivoResponsesTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final VivoResponses.Rules RULES =
            new VivoResponses.Rules(Set.of(10000), VendorSettings.defaults(VivoConfig.DEFAULT_BASE_URL));
    private static final String REG_ID = "12345678901234567890123";

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(10302, SendOutcome.InvalidToken.class),
                Arguments.of(10070, SendOutcome.RateLimited.class),
                Arguments.of(10252, SendOutcome.RateLimited.class),
                Arguments.of(10254, SendOutcome.RateLimited.class),
                Arguments.of(10250, SendOutcome.RateLimited.class),
                Arguments.of(10000, SendOutcome.AuthExpired.class),
                Arguments.of(10200, SendOutcome.Rejected.class),
                Arguments.of(10201, SendOutcome.Rejected.class),
                Arguments.of(10202, SendOutcome.Rejected.class),
                Arguments.of(10203, SendOutcome.Rejected.class),
                Arguments.of(10204, SendOutcome.Rejected.class),
                Arguments.of(10205, SendOutcome.Rejected.class),
                Arguments.of(10206, SendOutcome.Rejected.class),
                Arguments.of(10207, SendOutcome.Rejected.class),
                Arguments.of(10094, SendOutcome.Rejected.class),
                Arguments.of(10055, SendOutcome.Rejected.class));
    }

    @ParameterizedTest(name = "result {0} -> {1}")
    @MethodSource("codes")
    void send_vendorResultCode_givesTheTableOutcome(int code, Class<? extends SendOutcome> expected) {
        SendOutcome outcome = VivoResponses.send(200, json("{\"result\":" + code + ",\"desc\":\"d\"}"), REG_ID, CLOCK, RULES);

        assertInstanceOf(expected, outcome, outcome::toString);
        assertTrue(reason(outcome).contains(Integer.toString(code)), outcome::toString);
    }

    @ParameterizedTest(name = "invalidUser status {0}")
    @MethodSource("invalidStatuses")
    void send_invalidUserForThisRegId_isInvalidToken(int status) {
        SendOutcome outcome = VivoResponses.send(200, json("{\"result\":0,\"invalidUser\":{\"status\":" + status
                + ",\"userid\":\"" + REG_ID + "\"}}"), REG_ID, CLOCK, RULES);

        assertEquals(NOW, assertInstanceOf(SendOutcome.InvalidToken.class, outcome).invalidatedAt());
    }

    static Stream<Integer> invalidStatuses() {
        return Stream.of(1, 2, 3);
    }

    @Test
    void send_resultZero_isDelivered() {
        assertEquals(SendOutcome.DELIVERED, VivoResponses.send(200, json("{\"result\":0,\"taskId\":\"1\"}"), REG_ID, CLOCK, RULES));
        assertEquals(SendOutcome.DELIVERED, VivoResponses.send(200,
                json("{\"result\":0,\"invalidUser\":{\"status\":1,\"userid\":\"other\"}}"), REG_ID, CLOCK, RULES));
    }

    @Test
    void send_http5xxOrUnreadable_isRetry() {
        assertInstanceOf(SendOutcome.Retry.class, VivoResponses.send(500, json("{}"), REG_ID, CLOCK, RULES));
        assertInstanceOf(SendOutcome.Retry.class, VivoResponses.send(503, json("{\"result\":0}"), REG_ID, CLOCK, RULES));
        assertInstanceOf(SendOutcome.Retry.class, VivoResponses.send(200, json("{}"), REG_ID, CLOCK, RULES));
        assertInstanceOf(SendOutcome.Rejected.class, VivoResponses.send(404, json("{}"), REG_ID, CLOCK, RULES));
    }

    @Test
    void send_rateLimits_holdOffForBackoffOrUntilQuotaMidnight() {
        var frequency = (SendOutcome.RateLimited) VivoResponses.code(10252, "", CLOCK, RULES);
        var daily = (SendOutcome.RateLimited) VivoResponses.code(10070, "", CLOCK, RULES);

        assertEquals(NOW.plusSeconds(60), frequency.until());
        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), daily.until());
    }

    @Test
    void nextQuotaReset_justAfterMidnight_isTheFollowingMidnight() {
        Instant justAfter = Instant.parse("2026-03-01T16:00:01Z"); // 00:00:01 in Shanghai
        assertEquals(Instant.parse("2026-03-02T16:00:00Z"), QuotaDay.nextMidnight(justAfter, ZoneId.of("Asia/Shanghai")));
    }

    @Test
    void code_configuredAuthExpiredCodes_replaceTheDefault() {
        var rules = new VivoResponses.Rules(Set.of(10099), VendorSettings.defaults(VivoConfig.DEFAULT_BASE_URL));
        assertInstanceOf(SendOutcome.AuthExpired.class, VivoResponses.code(10099, "", CLOCK, rules));
        assertInstanceOf(SendOutcome.Rejected.class, VivoResponses.code(10000, "", CLOCK, rules));
    }

    private static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String reason(SendOutcome o) {
        return switch (o) {
            case SendOutcome.InvalidToken t -> t.reason();
            case SendOutcome.RateLimited r -> r.reason();
            case SendOutcome.Held h -> h.reason();
            case SendOutcome.AuthExpired a -> a.reason();
            case SendOutcome.Rejected r -> r.reason();
            case SendOutcome.Retry r -> r.reason();
            case SendOutcome.Delivered d -> "";
        };
    }
}
