package dev.impush.worker.channel.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.google.firebase.ErrorCode;
import com.google.firebase.messaging.FcmExceptions;
import com.google.firebase.messaging.MessagingErrorCode;
import dev.impush.worker.channel.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FcmErrorsTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration BACKOFF = Duration.ofSeconds(60);

    static Stream<Arguments> codes() {
        return Stream.of(
                Arguments.of(ErrorCode.NOT_FOUND, MessagingErrorCode.UNREGISTERED, "Requested entity was not found.", 404, SendOutcome.InvalidToken.class),
                Arguments.of(ErrorCode.PERMISSION_DENIED, MessagingErrorCode.SENDER_ID_MISMATCH, "SenderId mismatch", 403, SendOutcome.InvalidToken.class),
                Arguments.of(ErrorCode.INVALID_ARGUMENT, MessagingErrorCode.INVALID_ARGUMENT, "The registration token is not a valid FCM registration token", 400, SendOutcome.InvalidToken.class),
                Arguments.of(ErrorCode.INVALID_ARGUMENT, MessagingErrorCode.INVALID_ARGUMENT, "Invalid value at 'message.android.ttl'", 400, SendOutcome.Rejected.class),
                Arguments.of(ErrorCode.RESOURCE_EXHAUSTED, MessagingErrorCode.QUOTA_EXCEEDED, "Quota exceeded", 429, SendOutcome.RateLimited.class),
                Arguments.of(ErrorCode.UNAVAILABLE, MessagingErrorCode.UNAVAILABLE, "unavailable", 503, SendOutcome.Retry.class),
                Arguments.of(ErrorCode.INTERNAL, MessagingErrorCode.INTERNAL, "internal", 500, SendOutcome.Retry.class),
                Arguments.of(ErrorCode.UNAUTHENTICATED, MessagingErrorCode.THIRD_PARTY_AUTH_ERROR, "APNs auth", 401, SendOutcome.Rejected.class),
                Arguments.of(ErrorCode.UNAUTHENTICATED, null, "Request had invalid authentication credentials.", 401, SendOutcome.AuthExpired.class),
                Arguments.of(ErrorCode.PERMISSION_DENIED, null, "Permission denied", 403, SendOutcome.Rejected.class),
                Arguments.of(ErrorCode.NOT_FOUND, null, "Requested entity was not found.", 404, SendOutcome.Rejected.class),
                Arguments.of(ErrorCode.INVALID_ARGUMENT, null, "bad", 400, SendOutcome.Rejected.class),
                Arguments.of(ErrorCode.RESOURCE_EXHAUSTED, null, "quota", 429, SendOutcome.RateLimited.class),
                Arguments.of(ErrorCode.UNKNOWN, null, "bad gateway", 502, SendOutcome.Retry.class),
                Arguments.of(ErrorCode.UNAVAILABLE, null, "connection refused", 0, SendOutcome.Retry.class),
                Arguments.of(ErrorCode.DEADLINE_EXCEEDED, null, "timed out", 0, SendOutcome.Retry.class),
                Arguments.of(ErrorCode.UNKNOWN, null, "io", 0, SendOutcome.Retry.class),
                Arguments.of(ErrorCode.UNKNOWN, null, "teapot", 418, SendOutcome.Rejected.class));
    }

    @ParameterizedTest(name = "{0}/{1} {3} -> {4}")
    @MethodSource("codes")
    void map_fcmAndGoogleCodes_giveTheVendorTableOutcome(ErrorCode code, MessagingErrorCode fcm, String message,
                                                          int status, Class<? extends SendOutcome> expected) {
        SendOutcome outcome = FcmErrors.map(FcmExceptions.of(code, fcm, message, status, null), NOW, BACKOFF);

        assertInstanceOf(expected, outcome, () -> outcome.toString());
        if (outcome instanceof SendOutcome.InvalidToken t) {
            assertEquals(NOW, t.invalidatedAt());
        }
    }

    @Test
    void map_quotaExceededWithRetryAfter_rateLimitsUntilThen() {
        var e = FcmExceptions.of(ErrorCode.RESOURCE_EXHAUSTED, MessagingErrorCode.QUOTA_EXCEEDED, "q", 429, "30");

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, FcmErrors.map(e, NOW, BACKOFF));
        assertEquals(NOW.plusSeconds(30), limited.until());
    }

    @Test
    void map_quotaExceededWithoutRetryAfter_usesConfiguredBackoff() {
        var e = FcmExceptions.of(ErrorCode.RESOURCE_EXHAUSTED, MessagingErrorCode.QUOTA_EXCEEDED, "q", 429, null);

        assertEquals(NOW.plus(BACKOFF), ((SendOutcome.RateLimited) FcmErrors.map(e, NOW, BACKOFF)).until());
    }

    @Test
    void map_unavailableWithRetryAfter_retriesAfterIt() {
        var e = FcmExceptions.of(ErrorCode.UNAVAILABLE, MessagingErrorCode.UNAVAILABLE, "u", 503, "7");

        assertEquals(Duration.ofSeconds(7), ((SendOutcome.Retry) FcmErrors.map(e, NOW, BACKOFF)).after());
    }

    @Test
    void parseRetryAfter_httpDate_isTheTimeUntilThen() {
        assertEquals(java.util.Optional.of(Duration.ofMinutes(2)), FcmErrors.parseRetryAfter("Thu, 01 Jan 2026 00:02:00 GMT", NOW));
        assertEquals(java.util.Optional.empty(), FcmErrors.parseRetryAfter("soon", NOW));
        assertEquals(java.util.Optional.empty(), FcmErrors.parseRetryAfter("-5", NOW));
    }
}
