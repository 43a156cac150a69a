package dev.impush.worker.channel.huawei;

import dev.impush.worker.channel.http.VendorSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.QuotaDay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HuaweiResponsesTest {
    private static final Instant NOW = HuaweiFixtures.NOW;
    private static final Duration BACKOFF = Duration.ofSeconds(60);
    private static final String TOKEN = "device-token-1";
    private static final HuaweiResponses RESPONSES = new HuaweiResponses(Clock.fixed(NOW, ZoneOffset.UTC),
            new VendorSettings(HuaweiConfig.DEFAULT_SETTINGS.baseUrl(), VendorSettings.DEFAULT_TIMEOUT, BACKOFF,
                    ZoneId.of("Asia/Shanghai"), VendorSettings.DEFAULT_MAX_CONCURRENCY), Set.of("80300099"));

    static Stream<Arguments> codes() {
        Stream<Arguments> table = Stream.of(
                Arguments.of(200, "80000000", SendOutcome.Delivered.class),
                Arguments.of(400, "80300007", SendOutcome.InvalidToken.class),
                Arguments.of(200, "81000001", SendOutcome.Retry.class),
                Arguments.of(500, "81000001", SendOutcome.Retry.class),
                Arguments.of(200, "80600003", SendOutcome.Retry.class),
                Arguments.of(500, "", SendOutcome.Retry.class),
                Arguments.of(502, "", SendOutcome.Retry.class),
                Arguments.of(503, "", SendOutcome.RateLimited.class),
                Arguments.of(401, "80200001", SendOutcome.AuthExpired.class),
                Arguments.of(401, "80200003", SendOutcome.AuthExpired.class),
                Arguments.of(401, "", SendOutcome.AuthExpired.class),
                Arguments.of(200, "80300099", SendOutcome.RateLimited.class),
                Arguments.of(400, "99999999", SendOutcome.Rejected.class),
                Arguments.of(404, "", SendOutcome.Rejected.class));
        Stream<Arguments> rejected = HuaweiResponses.REJECTED.stream().sorted()
                .map(code -> Arguments.of(400, code, SendOutcome.Rejected.class));
        return Stream.concat(table, rejected);
    }

    @ParameterizedTest(name = "HTTP {0} code {1} -> {2}")
    @MethodSource("codes")
    void map_vendorCode_givesTheTableOutcome(int status, String code, Class<? extends SendOutcome> expected) {
        String body = code.isEmpty() ? "" : "{\"code\":\"" + code + "\",\"msg\":\"m\",\"requestId\":\"r\"}";

        SendOutcome outcome = RESPONSES.map(status, body, Optional.empty(), TOKEN);

        assertInstanceOf(expected, outcome, outcome::toString);
        if (!(outcome instanceof SendOutcome.Delivered) && !code.isEmpty()) {
            assertEquals(true, outcome.toString().contains(code), outcome::toString);
        }
    }

    @Test
    void map_partialResultListingOurToken_isInvalidTokenWithoutLeakingTokens() {
        String msg = "{\\\"success\\\":0,\\\"failure\\\":1,\\\"illegal_tokens\\\":[\\\"" + TOKEN + "\\\"]}";
        String body = "{\"code\":\"80100000\",\"msg\":\"" + msg + "\",\"requestId\":\"r\"}";

        SendOutcome outcome = RESPONSES.map(200, body, Optional.empty(), TOKEN);

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, outcome);
        assertEquals(NOW, invalid.invalidatedAt());
        assertFalse(invalid.reason().contains(TOKEN), invalid.reason());
    }

    @Test
    void map_partialResultListingOtherTokens_isDelivered() {
        String msg = "{\\\"success\\\":1,\\\"failure\\\":1,\\\"illegal_tokens\\\":[\\\"other\\\"]}";
        String body = "{\"code\":\"80100000\",\"msg\":\"" + msg + "\",\"requestId\":\"r\"}";

        assertEquals(SendOutcome.DELIVERED, RESPONSES.map(200, body, Optional.empty(), TOKEN));
    }

    @Test
    void map_flowControl_isRateLimitedForRetryAfterOrBackoff() {
        var withHeader = (SendOutcome.RateLimited) RESPONSES.map(503, "", Optional.of(Duration.ofSeconds(7)), TOKEN);
        var without = (SendOutcome.RateLimited) RESPONSES.map(503, "", Optional.empty(), TOKEN);

        assertEquals(NOW.plusSeconds(7), withHeader.until());
        assertEquals(NOW.plus(BACKOFF), without.until());
    }

    @Test
    void map_dailyQuota_isRateLimitedUntilShanghaiMidnight() {
        var limited = (SendOutcome.RateLimited) RESPONSES.map(200, "{\"code\":\"80300099\"}", Optional.empty(), TOKEN);

        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), limited.until());
    }

    @Test
    void nextQuotaReset_justAfterMidnight_isTheFollowingMidnight() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        assertEquals(Instant.parse("2026-03-02T16:00:00Z"),
                QuotaDay.nextMidnight(Instant.parse("2026-03-01T16:00:00Z"), shanghai));
    }
}
