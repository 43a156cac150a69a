package dev.impush.worker.channel.fcm;

import com.google.firebase.ErrorCode;
import com.google.firebase.IncomingHttpResponse;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.MessagingErrorCode;
import dev.impush.worker.channel.SendOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Translates an FCM HTTP v1 error, as the Firebase Admin SDK reports it, into a {@link SendOutcome}
 * (vendor-apis.md, FCM table). The FCM-specific {@code details[].errorCode} is read first, the
 * generic Google status second. Stateless and thread-safe.
 */
final class FcmErrors {
    private static final int MAX_REASON_CHARS = 200;

    private FcmErrors() {}

    static SendOutcome map(FirebaseMessagingException e, Instant now, Duration rateLimitBackoff) {
        MessagingErrorCode fcm = e.getMessagingErrorCode();
        if (fcm != null) {
            String reason = reason(fcm.name(), e);
            return switch (fcm) {
                case UNREGISTERED, SENDER_ID_MISMATCH -> new SendOutcome.InvalidToken(now, reason);
                case QUOTA_EXCEEDED -> new SendOutcome.RateLimited(
                        now.plus(retryAfter(e, now).orElse(rateLimitBackoff)), reason);
                case UNAVAILABLE, INTERNAL -> new SendOutcome.Retry(retryAfter(e, now).orElse(Duration.ZERO), reason);
                case THIRD_PARTY_AUTH_ERROR -> new SendOutcome.Rejected(reason);
                case INVALID_ARGUMENT -> aboutToken(e)
                        ? new SendOutcome.InvalidToken(now, reason)
                        : new SendOutcome.Rejected(reason);
            };
        }
        ErrorCode code = e.getErrorCode();
        String reason = reason(code == null ? "UNKNOWN" : code.name(), e);
        int status = e.getHttpResponse() == null ? 0 : e.getHttpResponse().getStatusCode();
        if (code == ErrorCode.UNAUTHENTICATED || status == 401) {
            return new SendOutcome.AuthExpired(reason);
        }
        if (code == ErrorCode.RESOURCE_EXHAUSTED || status == 429) {
            return new SendOutcome.RateLimited(now.plus(retryAfter(e, now).orElse(rateLimitBackoff)), reason);
        }
        if (status >= 500 || transientCode(code) || (status == 0 && code == ErrorCode.UNKNOWN)) {
            // status 0: no HTTP answer at all (the SDK wrapped an IO failure)
            return new SendOutcome.Retry(retryAfter(e, now).orElse(Duration.ZERO), reason);
        }
        return new SendOutcome.Rejected(reason);
    }

    private static boolean transientCode(ErrorCode code) {
        return code == ErrorCode.UNAVAILABLE || code == ErrorCode.INTERNAL
                || code == ErrorCode.DEADLINE_EXCEEDED || code == ErrorCode.ABORTED;
    }

    /** FCM answers INVALID_ARGUMENT "The registration token is not a valid FCM registration token". */
    private static boolean aboutToken(FirebaseMessagingException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("registration token");
    }

    /** {@code Retry-After} as delta-seconds or an HTTP date (RFC 9110 §10.2.3), when present. */
    static Optional<Duration> retryAfter(FirebaseMessagingException e, Instant now) {
        IncomingHttpResponse response = e.getHttpResponse();
        if (response == null || response.getHeaders() == null) {
            return Optional.empty();
        }
        for (Map.Entry<String, Object> h : response.getHeaders().entrySet()) {
            if ("retry-after".equalsIgnoreCase(h.getKey())) {
                Object v = h.getValue() instanceof List<?> list && !list.isEmpty() ? list.getFirst() : h.getValue();
                return v == null ? Optional.empty() : parseRetryAfter(v.toString().trim(), now);
            }
        }
        return Optional.empty();
    }

    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        try {
            long seconds = Long.parseLong(value);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static String reason(String code, FirebaseMessagingException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.length() > MAX_REASON_CHARS) {
            message = message.substring(0, MAX_REASON_CHARS) + "…";
        }
        int status = e.getHttpResponse() == null ? 0 : e.getHttpResponse().getStatusCode();
        return "fcm " + code + (status == 0 ? "" : " (" + status + ")") + ": " + message;
    }
}
