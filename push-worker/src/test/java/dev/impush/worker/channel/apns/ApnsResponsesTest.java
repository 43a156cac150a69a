package dev.impush.worker.channel.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.impush.worker.channel.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApnsResponsesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration BACKOFF = Duration.ofSeconds(60);
    private final ApnsResponses responses = new ApnsResponses(Clock.fixed(NOW, ZoneOffset.UTC), BACKOFF);

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "200, '',                          Delivered",
            "410, Unregistered,                InvalidToken",
            "410, ExpiredToken,                InvalidToken",
            "400, BadDeviceToken,              InvalidToken",
            "400, DeviceTokenNotForTopic,      InvalidToken",
            "500, InternalServerError,         Retry",
            "503, ServiceUnavailable,          Retry",
            "503, Shutdown,                    Retry",
            "400, IdleTimeout,                 Retry",
            "429, TooManyRequests,             RateLimited",
            "429, TooManyProviderTokenUpdates, RateLimited",
            "403, ExpiredProviderToken,        AuthExpired",
            "400, BadCollapseId,               Rejected",
            "400, BadExpirationDate,           Rejected",
            "400, BadMessageId,                Rejected",
            "400, BadPriority,                 Rejected",
            "400, BadTopic,                    Rejected",
            "400, DuplicateHeaders,            Rejected",
            "400, InvalidPushType,             Rejected",
            "400, MissingDeviceToken,          Rejected",
            "400, MissingTopic,                Rejected",
            "400, PayloadEmpty,                Rejected",
            "400, TopicDisallowed,             Rejected",
            "403, BadCertificate,              Rejected",
            "403, BadCertificateEnvironment,   Rejected",
            "403, Forbidden,                   Rejected",
            "403, InvalidProviderToken,        Rejected",
            "403, MissingProviderToken,        Rejected",
            "404, BadPath,                     Rejected",
            "405, MethodNotAllowed,            Rejected",
            "413, PayloadTooLarge,             Rejected",
            "502, SomethingNew,                Retry",
            "500, '',                          Retry",
            "400, SomethingNew,                Rejected",
            "404, '',                          Rejected",
    })
    void outcome_mapsStatusAndReason(int status, String reason, String expected) {
        SendOutcome outcome = responses.outcome(status, reason, Optional.empty());

        assertEquals(expected, outcome.getClass().getSimpleName());
    }

    @Test
    void outcome_unregisteredWithTimestamp_carriesApplesTimestamp() {
        Instant at = Instant.parse("2026-01-02T03:04:05.678Z");

        SendOutcome outcome = responses.outcome(410, "Unregistered", Optional.of(at));

        assertEquals(at, assertInstanceOf(SendOutcome.InvalidToken.class, outcome).invalidatedAt());
    }

    @Test
    void outcome_badDeviceToken_usesClockNow() {
        SendOutcome outcome = responses.outcome(400, "BadDeviceToken", Optional.empty());

        assertEquals(NOW, assertInstanceOf(SendOutcome.InvalidToken.class, outcome).invalidatedAt());
    }

    @Test
    void outcome_tooManyRequests_rateLimitsForTheBackoff() {
        SendOutcome outcome = responses.outcome(429, "TooManyRequests", Optional.empty());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, outcome);
        assertEquals(NOW.plus(BACKOFF), limited.until());
        assertEquals("TooManyRequests", limited.reason());
    }

    @Test
    void outcome_unknownReasonWithoutText_labelsTheStatus() {
        SendOutcome outcome = responses.outcome(418, "", Optional.empty());

        assertEquals("HTTP 418", assertInstanceOf(SendOutcome.Rejected.class, outcome).reason());
    }
}
