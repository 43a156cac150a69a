package dev.impush.worker.channel.apns;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import dev.impush.worker.channel.SendOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Translates an APNs answer into a {@link SendOutcome}, per the APNs table in
 * {@code vendor-apis.md} (Apple's "Handling notification responses from APNs"). Reasons are
 * matched first; a reason this table does not know falls back on the status: 5xx → retry,
 * 429 → rate limited, other 4xx → rejected. Stateless apart from the clock; thread-safe.
 */
final class ApnsResponses {

    /** 410, or 400 for a token that is malformed or belongs to another app: drop the token. */
    static final Set<String> INVALID_TOKEN = Set.of(
            "Unregistered", "ExpiredToken", "BadDeviceToken", "DeviceTokenNotForTopic");
    /** Apple's side failed or asks us to reconnect; the notification itself is fine. */
    static final Set<String> RETRY = Set.of(
            "InternalServerError", "ServiceUnavailable", "Shutdown", "IdleTimeout");
    /** Configuration or payload errors: resending the same request cannot succeed. */
    static final Set<String> REJECTED = Set.of(
            "BadCollapseId", "BadExpirationDate", "BadMessageId", "BadPriority", "BadTopic", "DuplicateHeaders",
            "InvalidPushType", "MissingDeviceToken", "MissingTopic", "PayloadEmpty", "TopicDisallowed",
            "BadCertificate", "BadCertificateEnvironment", "Forbidden", "InvalidProviderToken",
            "MissingProviderToken", "BadPath", "MethodNotAllowed", "PayloadTooLarge");

    private final Clock clock;
    private final Duration rateLimitBackoff;

    ApnsResponses(Clock clock, Duration rateLimitBackoff) {
        this.clock = clock;
        this.rateLimitBackoff = rateLimitBackoff;
    }

    SendOutcome outcome(PushNotificationResponse<?> response) {
        if (response.isAccepted()) {
            return SendOutcome.DELIVERED;
        }
        return outcome(response.getStatusCode(), response.getRejectionReason().orElse(""),
                response.getTokenInvalidationTimestamp());
    }

    SendOutcome outcome(int status, String reason, Optional<Instant> tokenInvalidatedAt) {
        if (status == 200) {
            return SendOutcome.DELIVERED;
        }
        String label = reason.isEmpty() ? "HTTP " + status : reason;
        if (INVALID_TOKEN.contains(reason)) {
            // Only 410 carries Apple's timestamp; it lets the dispatcher ignore the answer when the
            // device re-registered the token after that moment.
            return new SendOutcome.InvalidToken(tokenInvalidatedAt.orElseGet(clock::instant), reason);
        }
        if (RETRY.contains(reason)) {
            return SendOutcome.retry(reason);
        }
        if ("TooManyRequests".equals(reason)) {
            // 429 TooManyRequests: "too many requests were made consecutively to the same device token".
            return new SendOutcome.RateLimited(clock.instant().plus(rateLimitBackoff), reason);
        }
        if ("ExpiredProviderToken".equals(reason)) {
            // Pushy regenerates the provider JWT when it sees this reason, so one resend will carry a new one.
            return new SendOutcome.AuthExpired(reason);
        }
        if (REJECTED.contains(reason)) {
            return new SendOutcome.Rejected(reason);
        }
        if (status >= 500) {
            return SendOutcome.retry(label);
        }
        if (status == 429) {
            // Includes TooManyProviderTokenUpdates: waiting is right, regenerating the JWT (AuthExpired) would
            // make it worse (Apple: at most one new provider token per 20 minutes).
            return new SendOutcome.RateLimited(clock.instant().plus(rateLimitBackoff), label);
        }
        if (status >= 400) {
            return new SendOutcome.Rejected(label);
        }
        // Neither 2xx nor an error status: a proxy or protocol oddity, not a verdict on the notification.
        return SendOutcome.retry(label);
    }
}
