package dev.impush.worker.channel.oppo;

import dev.impush.worker.channel.http.VendorSettings;
import static dev.impush.worker.channel.oppo.OppoFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.SendOutcome;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OppoResponsesTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final VendorSettings RULES = VendorSettings.defaults(OppoConfig.DEFAULT_BASE_URL);

    static Stream<Arguments> codes() {
        Stream<Arguments> table = Stream.of(
                Arguments.of(0, SendOutcome.Delivered.class),
                Arguments.of(10000, SendOutcome.InvalidToken.class),
                Arguments.of(10001, SendOutcome.InvalidToken.class),
                Arguments.of(-1, SendOutcome.Retry.class),
                Arguments.of(-2, SendOutcome.RateLimited.class),
                Arguments.of(13, SendOutcome.RateLimited.class),
                Arguments.of(55, SendOutcome.RateLimited.class),
                Arguments.of(33, SendOutcome.RateLimited.class),
                Arguments.of(11, SendOutcome.AuthExpired.class),
                Arguments.of(29, SendOutcome.AuthExpired.class),
                Arguments.of(12, SendOutcome.Rejected.class),
                Arguments.of(30, SendOutcome.Rejected.class),
                Arguments.of(31, SendOutcome.Rejected.class),
                Arguments.of(32, SendOutcome.Rejected.class),
                Arguments.of(40, SendOutcome.Rejected.class),
                Arguments.of(41, SendOutcome.Rejected.class),
                Arguments.of(51, SendOutcome.Rejected.class),
                Arguments.of(59, SendOutcome.Rejected.class),
                Arguments.of(67, SendOutcome.Rejected.class));
        Stream<Arguments> rejected14to28 = IntStream.rangeClosed(14, 28).mapToObj(c -> Arguments.of(c, SendOutcome.Rejected.class));
        return Stream.concat(table, rejected14to28);
    }

    @ParameterizedTest(name = "code {0} -> {1}")
    @MethodSource("codes")
    void send_vendorCode_givesTheTableOutcome(int code, Class<? extends SendOutcome> expected) {
        SendOutcome outcome = OppoResponses.send(200, json("{\"code\":" + code + ",\"message\":\"m\",\"data\":{}}"), CLOCK, RULES);

        assertInstanceOf(expected, outcome, outcome::toString);
        if (outcome instanceof SendOutcome.InvalidToken t) {
            assertEquals(NOW, t.invalidatedAt());
        }
    }

    @Test
    void send_http5xxOrUnreadable_isRetry() {
        assertInstanceOf(SendOutcome.Retry.class, OppoResponses.send(502, json("{}"), CLOCK, RULES));
        assertInstanceOf(SendOutcome.Retry.class, OppoResponses.send(200, json("{}"), CLOCK, RULES));
        assertInstanceOf(SendOutcome.Rejected.class, OppoResponses.send(404, json("{}"), CLOCK, RULES));
    }

    @Test
    void send_rateLimits_holdOffForBackoffOrUntilQuotaMidnight() {
        var frequency = (SendOutcome.RateLimited) OppoResponses.code(-2, "", CLOCK, RULES);
        var daily = (SendOutcome.RateLimited) OppoResponses.code(33, "", CLOCK, RULES);

        assertEquals(NOW.plusSeconds(60), frequency.until());
        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), daily.until());
    }

    private static JsonNode json(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
