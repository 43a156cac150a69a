package dev.impush.worker.channel.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.impush.model.codec.Json;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorHttp;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FcmResponsesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final FcmResponses RESPONSES = new FcmResponses(FcmConfig.DEFAULT_SETTINGS);

    /** Google's error body, with an FcmError detail when {@code fcmCode} is given. */
    static VendorHttp.Response answer(int status, String googleStatus, String fcmCode, String message,
                                      String retryAfter) {
        var error = Json.mapper().createObjectNode();
        var inner = error.putObject("error").put("code", status).put("message", message).put("status", googleStatus);
        if (fcmCode != null) {
            inner.putArray("details").addObject()
                    .put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError").put("errorCode", fcmCode);
        }
        Map<String, List<String>> headers = retryAfter == null ? Map.of() : Map.of("Retry-After", List.of(retryAfter));
        return new VendorHttp.Response(status, error.toString(), HttpHeaders.of(headers, (k, v) -> true));
    }

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.", SendOutcome.InvalidToken.class),
                Arguments.of(403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch", SendOutcome.InvalidToken.class),
                Arguments.of(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", SendOutcome.InvalidToken.class),
                Arguments.of(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Invalid value at 'message.android.ttl'", SendOutcome.Rejected.class),
                Arguments.of(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded", SendOutcome.RateLimited.class),
                Arguments.of(503, "UNAVAILABLE", "UNAVAILABLE", "unavailable", SendOutcome.Retry.class),
                Arguments.of(500, "INTERNAL", "INTERNAL", "internal", SendOutcome.Retry.class),
                Arguments.of(401, "UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "APNs auth", SendOutcome.Rejected.class),
                Arguments.of(401, "UNAUTHENTICATED", null, "Request had invalid authentication credentials.", SendOutcome.AuthExpired.class),
                Arguments.of(403, "PERMISSION_DENIED", null, "Permission denied", SendOutcome.Rejected.class),
                Arguments.of(404, "NOT_FOUND", null, "Requested entity was not found.", SendOutcome.Rejected.class),
                Arguments.of(400, "INVALID_ARGUMENT", null, "bad", SendOutcome.Rejected.class),
                Arguments.of(429, "RESOURCE_EXHAUSTED", null, "quota", SendOutcome.RateLimited.class),
                Arguments.of(502, "", null, "bad gateway", SendOutcome.Retry.class),
                Arguments.of(504, "DEADLINE_EXCEEDED", null, "timed out", SendOutcome.Retry.class),
                Arguments.of(409, "ABORTED", null, "aborted", SendOutcome.Retry.class),
                Arguments.of(400, "INVALID_ARGUMENT", "SOME_NEW_CODE", "new", SendOutcome.Rejected.class),
                Arguments.of(418, "", null, "teapot", SendOutcome.Rejected.class));
    }

    @ParameterizedTest(name = "{0} {1}/{2} -> {4}")
    @MethodSource("codes")
    void map_fcmAndGoogleCodes_giveTheVendorTableOutcome(int status, String googleStatus, String fcmCode,
                                                          String message, Class<? extends SendOutcome> expected) {
        SendOutcome outcome = RESPONSES.map(answer(status, googleStatus, fcmCode, message, null), NOW);

        assertInstanceOf(expected, outcome, outcome::toString);
        if (outcome instanceof SendOutcome.InvalidToken t) {
            assertEquals(NOW, t.invalidatedAt());
        }
    }

    @Test
    void map_success_isDelivered() {
        var ok = new VendorHttp.Response(200, "{\"name\":\"projects/p/messages/1\"}", HttpHeaders.of(Map.of(), (k, v) -> true));

        assertEquals(SendOutcome.DELIVERED, RESPONSES.map(ok, NOW));
    }

    @Test
    void map_quotaExceededWithRetryAfter_rateLimitsUntilThen() {
        var limited = assertInstanceOf(SendOutcome.RateLimited.class,
                RESPONSES.map(answer(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "q", "30"), NOW));

        assertEquals(NOW.plusSeconds(30), limited.until());
    }

    @Test
    void map_quotaExceededWithoutRetryAfter_usesConfiguredBackoff() {
        var limited = assertInstanceOf(SendOutcome.RateLimited.class,
                RESPONSES.map(answer(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "q", null), NOW));

        assertEquals(NOW.plusSeconds(60), limited.until());
    }

    @Test
    void map_unavailableWithRetryAfterAsHttpDate_retriesAfterIt() {
        var retry = assertInstanceOf(SendOutcome.Retry.class,
                RESPONSES.map(answer(503, "UNAVAILABLE", "UNAVAILABLE", "u", "Thu, 01 Jan 2026 00:02:00 GMT"), NOW));

        assertEquals(Duration.ofMinutes(2), retry.after());
    }

    @Test
    void map_garbledBody_fallsBackOnTheHttpStatus() {
        var garbled = new VendorHttp.Response(502, "<html>Bad Gateway</html>", HttpHeaders.of(Map.of(), (k, v) -> true));

        assertInstanceOf(SendOutcome.Retry.class, RESPONSES.map(garbled, NOW));
    }
}
