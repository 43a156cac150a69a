package dev.impush.worker.channel.honor;

import dev.impush.worker.channel.http.VendorSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.worker.channel.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HonorResponsesTest {
    private static final Instant NOW = HonorFixtures.NOW;
    private static final Duration BACKOFF = Duration.ofSeconds(60);
    private static final String TOKEN = "device-token-1";
    /** The default table plus the codes only configuration can know ([U]). */
    private static final HonorConfig.Codes CODES = HonorFixtures.config(Map.of(
            HonorConfig.RATE_LIMIT_CODES, "80300010", HonorConfig.DAILY_QUOTA_CODES, "80300099")).codes();
    private static final HonorResponses RESPONSES = new HonorResponses(Clock.fixed(NOW, ZoneOffset.UTC), CODES,
            settings(ZoneId.of("Asia/Shanghai")));

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(200, "200", SendOutcome.Delivered.class),
                Arguments.of(200, "0", SendOutcome.Delivered.class),
                Arguments.of(200, "80000000", SendOutcome.Delivered.class),
                Arguments.of(400, "200", SendOutcome.Rejected.class),
                Arguments.of(400, "80300007", SendOutcome.InvalidToken.class),
                Arguments.of(401, "80200001", SendOutcome.AuthExpired.class),
                Arguments.of(401, "80200003", SendOutcome.AuthExpired.class),
                Arguments.of(401, "", SendOutcome.AuthExpired.class),
                Arguments.of(200, "80300010", SendOutcome.RateLimited.class),
                Arguments.of(200, "80300099", SendOutcome.RateLimited.class),
                Arguments.of(429, "", SendOutcome.RateLimited.class),
                Arguments.of(503, "", SendOutcome.RateLimited.class),
                Arguments.of(500, "81000001", SendOutcome.Retry.class),
                Arguments.of(200, "81000001", SendOutcome.Retry.class),
                Arguments.of(502, "", SendOutcome.Retry.class),
                Arguments.of(400, "80100001", SendOutcome.Rejected.class),
                Arguments.of(400, "80100003", SendOutcome.Rejected.class),
                Arguments.of(403, "80300002", SendOutcome.Rejected.class),
                Arguments.of(400, "80300008", SendOutcome.Rejected.class),
                Arguments.of(404, "", SendOutcome.Rejected.class));
    }

    @ParameterizedTest(name = "HTTP {0} code {1} -> {2}")
    @MethodSource("codes")
    void map_vendorCode_givesTheConfiguredOutcome(int status, String code, Class<? extends SendOutcome> expected) {
        String body = code.isEmpty() ? "" : "{\"code\":" + code + ",\"message\":\"m\",\"data\":{}}";

        SendOutcome outcome = RESPONSES.map(status, body, Optional.empty(), TOKEN);

        assertInstanceOf(expected, outcome, outcome::toString);
        if (!(outcome instanceof SendOutcome.Delivered) && !code.isEmpty()) {
            assertTrue(outcome.toString().contains(code), outcome::toString);
        }
    }

    @Test
    void map_successListingOurTokenAsFailed_isInvalidToken() {
        for (String field : HonorResponses.FAILED_TOKEN_FIELDS) {
            String body = "{\"code\":200,\"message\":\"success\",\"data\":{\"" + field + "\":[\"" + TOKEN + "\"]}}";

            assertInstanceOf(SendOutcome.InvalidToken.class, RESPONSES.map(200, body, Optional.empty(), TOKEN), field);
        }
    }

    @Test
    void map_successListingOtherTokens_isDelivered() {
        String body = "{\"code\":200,\"message\":\"success\",\"data\":{\"failTokens\":[\"other\"]}}";

        assertEquals(SendOutcome.DELIVERED, RESPONSES.map(200, body, Optional.empty(), TOKEN));
    }

    @Test
    void map_rateLimits_useRetryAfterOrBackoffAndQuotaUsesMidnight() {
        var flow = (SendOutcome.RateLimited) RESPONSES.map(503, "", Optional.of(Duration.ofSeconds(9)), TOKEN);
        var frequency = (SendOutcome.RateLimited) RESPONSES.map(200, "{\"code\":80300010}", Optional.empty(), TOKEN);
        var quota = (SendOutcome.RateLimited) RESPONSES.map(200, "{\"code\":80300099}", Optional.empty(), TOKEN);

        assertEquals(NOW.plusSeconds(9), flow.until());
        assertEquals(NOW.plus(BACKOFF), frequency.until());
        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), quota.until());
    }

    private static VendorSettings settings(ZoneId quotaZone) {
        return new VendorSettings(HonorConfig.DEFAULT_SETTINGS.baseUrl(), VendorSettings.DEFAULT_TIMEOUT, BACKOFF, quotaZone,
                VendorSettings.DEFAULT_MAX_CONCURRENCY);
    }

    @Test
    void map_codesSetToNone_fallBackOnStatus() {
        HonorConfig.Codes none = HonorFixtures.config(Map.of(HonorConfig.INVALID_TOKEN_CODES, "none")).codes();
        HonorResponses r = new HonorResponses(Clock.fixed(NOW, ZoneOffset.UTC), none, settings(ZoneOffset.UTC));

        assertInstanceOf(SendOutcome.Rejected.class, r.map(400, "{\"code\":80300007}", Optional.empty(), TOKEN));
    }
}
