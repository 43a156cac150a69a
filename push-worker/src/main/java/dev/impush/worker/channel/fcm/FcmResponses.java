package dev.impush.worker.channel.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorHttp;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Translates an FCM HTTP v1 answer into a {@link SendOutcome} (vendor-apis.md, FCM table). The body
 * is Google's error ({@code {"error": {code, message, status, details}}}): the FCM-specific
 * {@code details[].errorCode} is read first, the Google {@code status} and HTTP status second.
 * Stateless; thread-safe.
 */
final class FcmResponses {
    private static final String FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
    private static final Set<String> TRANSIENT = Set.of("UNAVAILABLE", "INTERNAL", "DEADLINE_EXCEEDED", "ABORTED");
    private static final int MAX_REASON_CHARS = 200;

    private final VendorSettings settings;

    FcmResponses(VendorSettings settings) {
        this.settings = settings;
    }

    SendOutcome map(VendorHttp.Response response, Instant now) {
        int status = response.status();
        if (status == 200) {
            return SendOutcome.DELIVERED;
        }
        JsonNode error = response.json().path("error");
        String googleStatus = error.path("status").asText("");
        String fcmCode = fcmErrorCode(error);
        String message = error.path("message").asText("");
        String reason = "fcm " + (fcmCode.isEmpty() ? googleStatus.isEmpty() ? "?" : googleStatus : fcmCode)
                + " (" + status + "): " + clip(message);
        Optional<Duration> retryAfter = response.retryAfter(now);
        return switch (fcmCode) {
            case "UNREGISTERED", "SENDER_ID_MISMATCH" -> new SendOutcome.InvalidToken(now, reason);
            case "QUOTA_EXCEEDED" -> settings.rateLimited(now, retryAfter, reason);
            case "UNAVAILABLE", "INTERNAL" -> new SendOutcome.Retry(retryAfter.orElse(Duration.ZERO), reason);
            case "THIRD_PARTY_AUTH_ERROR" -> new SendOutcome.Rejected(reason);
            // "The registration token is not a valid FCM registration token"
            case "INVALID_ARGUMENT" -> message.toLowerCase(Locale.ROOT).contains("registration token")
                    ? new SendOutcome.InvalidToken(now, reason)
                    : new SendOutcome.Rejected(reason);
            // no FCM code, or one this table does not know: the Google status decides
            default -> {
                if (status == 401 || googleStatus.equals("UNAUTHENTICATED")) {
                    yield new SendOutcome.AuthExpired(reason);
                }
                if (status == 429 || googleStatus.equals("RESOURCE_EXHAUSTED")) {
                    yield settings.rateLimited(now, retryAfter, reason);
                }
                if (status >= 500 || TRANSIENT.contains(googleStatus)) {
                    yield new SendOutcome.Retry(retryAfter.orElse(Duration.ZERO), reason);
                }
                yield new SendOutcome.Rejected(reason);
            }
        };
    }

    private static String fcmErrorCode(JsonNode error) {
        for (JsonNode detail : error.path("details")) {
            if (FCM_ERROR_TYPE.equals(detail.path("@type").asText())) {
                return detail.path("errorCode").asText("");
            }
        }
        return "";
    }

    private static String clip(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "…";
    }
}
