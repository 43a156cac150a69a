package dev.impush.worker.channel.meizu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeizuResponsesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    /** Midnight in Shanghai after 20:00 local. */
    private static final Instant NEXT_RESET = Instant.parse("2026-03-01T16:00:00Z");
    private static final Duration BACKOFF = Duration.ofSeconds(42);
    private static final String TOKEN = "push-1";
    private final MeizuResponses responses =
            new MeizuResponses(MeizuConfig.fromEnv(VendorFixtures.env(MeizuConfig.APP_ID, "1", MeizuConfig.APP_SECRET,
                    "s", "IMPUSH_MEIZU_RATE_LIMIT_BACKOFF_MS", Long.toString(BACKOFF.toMillis()))).orElseThrow());

    static Stream<Arguments> perTarget() {
        return Stream.of(
                Arguments.of("110002", SendOutcome.InvalidToken.class, null),
                Arguments.of("110003", SendOutcome.InvalidToken.class, null),
                Arguments.of("110010", SendOutcome.InvalidToken.class, null),
                Arguments.of("501", SendOutcome.Retry.class, null),
                Arguments.of("513", SendOutcome.Retry.class, null),
                Arguments.of("519", SendOutcome.Retry.class, null),
                Arguments.of("518", SendOutcome.RateLimited.class, NOW.plus(BACKOFF)),
                Arguments.of("110011", SendOutcome.RateLimited.class, NEXT_RESET),
                Arguments.of("520", SendOutcome.Delivered.class, null),
                Arguments.of("999999", SendOutcome.Rejected.class, null));
    }

    static Stream<Arguments> topLevel() {
        return Stream.of(
                Arguments.of("1001", SendOutcome.Retry.class, null),
                Arguments.of("1003", SendOutcome.Retry.class, null),
                Arguments.of("500", SendOutcome.Retry.class, null),
                Arguments.of("110010", SendOutcome.RateLimited.class, NOW.plus(BACKOFF)),
                Arguments.of("518", SendOutcome.RateLimited.class, NOW.plus(BACKOFF)),
                Arguments.of("110019", SendOutcome.RateLimited.class, NEXT_RESET),
                Arguments.of("1005", SendOutcome.Rejected.class, null),
                Arguments.of("1006", SendOutcome.Rejected.class, null),
                Arguments.of("110000", SendOutcome.Rejected.class, null),
                Arguments.of("110001", SendOutcome.Rejected.class, null),
                Arguments.of("110009", SendOutcome.Rejected.class, null),
                Arguments.of("110031", SendOutcome.Rejected.class, null),
                Arguments.of("110033", SendOutcome.Rejected.class, null),
                Arguments.of("201", SendOutcome.Rejected.class, null),
                Arguments.of("123", SendOutcome.Rejected.class, null));
    }

    @ParameterizedTest(name = "per target {0} -> {1}")
    @MethodSource("perTarget")
    void map_perTargetCode_forOurToken_givesTheTableOutcome(String code, Class<? extends SendOutcome> expected,
                                                           Instant until) {
        JsonNode body = json(Map.of("code", "200", "message", "", "msgId", "NS1",
                "value", Map.of(code, List.of("other", TOKEN))));

        check(responses.map(200, body, TOKEN, NOW), code, expected, until);
        // another device's code says nothing about ours
        assertEquals(SendOutcome.DELIVERED, responses.map(200, body, "push-2", NOW));
    }

    @ParameterizedTest(name = "top level {0} -> {1}")
    @MethodSource("topLevel")
    void map_topLevelCode_givesTheTableOutcome(String code, Class<? extends SendOutcome> expected, Instant until) {
        JsonNode body = json(Map.of("code", code, "message", "m", "value", ""));

        check(responses.map(200, body, TOKEN, NOW), code, expected, until);
    }

    @Test
    void map_valueAsJsonString_isReadToo() {
        JsonNode body = json(Map.of("code", "200", "value", "{\"110003\":[\"" + TOKEN + "\"]}"));

        assertInstanceOf(SendOutcome.InvalidToken.class, responses.map(200, body, TOKEN, NOW));
    }

    @Test
    void map_emptyMap_isDelivered() {
        assertEquals(SendOutcome.DELIVERED, responses.map(200, json(Map.of("code", "200", "value", Map.of())), TOKEN, NOW));
        assertEquals(SendOutcome.DELIVERED, responses.map(200, json(Map.of("code", "200", "value", "")), TOKEN, NOW));
    }

    @Test
    void map_noHttpResult_isRetry() {
        JsonNode empty = Json.mapper().createObjectNode();
        assertInstanceOf(SendOutcome.Retry.class, responses.map(503, empty, TOKEN, NOW));
        assertInstanceOf(SendOutcome.Retry.class, responses.map(200, empty, TOKEN, NOW));
        assertInstanceOf(SendOutcome.Rejected.class, responses.map(404, empty, TOKEN, NOW));
        assertEquals(NOW.plus(BACKOFF), ((SendOutcome.RateLimited) responses.map(429, empty, TOKEN, NOW)).until());
    }

    private static void check(SendOutcome outcome, String code, Class<? extends SendOutcome> expected, Instant until) {
        assertInstanceOf(expected, outcome, outcome::toString);
        switch (outcome) {
            case SendOutcome.RateLimited limited -> assertEquals(until, limited.until());
            case SendOutcome.Rejected r -> assertTrue(r.reason().contains(code), r::reason);
            case SendOutcome.InvalidToken t -> assertEquals(NOW, t.invalidatedAt());
            default -> { }
        }
    }

    private static JsonNode json(Object value) {
        return Json.mapper().valueToTree(value);
    }
}
