package dev.impush.worker.channel.webpush;

import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorHttp;
import java.time.Duration;
import java.time.Instant;

/**
 * A push service's answer (RFC 8030 §5, RFC 8292 §4, and what FCM, Mozilla and Apple add): 201 (or
 * any 2xx) accepted; 404 and 410 the subscription is gone; 429 too many requests (Retry-After); 413
 * the payload is too large; 401 and 403 the VAPID token was refused (signed anew once, then the retry
 * tiers: a subscription made with another key stays refused); 5xx try again; any other 4xx refused.
 */
final class WebPushResponses {
    private WebPushResponses() {}

    static SendOutcome map(VendorHttp.Response r, Instant now, Duration rateLimitBackoff) {
        int status = r.status();
        String reason = "webpush " + status + reasonOf(r);
        if (status >= 200 && status < 300) {
            return new SendOutcome.Delivered();
        }
        return switch (status) {
            case 404, 410 -> new SendOutcome.InvalidToken(now, reason);
            case 429 -> new SendOutcome.RateLimited(now.plus(r.retryAfter(now).orElse(rateLimitBackoff)), reason);
            case 401, 403 -> new SendOutcome.AuthExpired(reason);
            default -> status >= 500 ? new SendOutcome.Retry(r.retryAfter(now).orElse(Duration.ZERO), reason)
                    : new SendOutcome.Rejected(reason);
        };
    }

    /** A short reason from the body (Mozilla's and Apple's JSON {@code reason}/{@code message}, else its first line). */
    private static String reasonOf(VendorHttp.Response r) {
        var json = r.json();
        String text = json.path("reason").asText(json.path("message").asText(""));
        if (text.isEmpty() && r.body() != null && !r.body().isBlank() && !r.body().trim().startsWith("{")) {
            text = r.body().lines().findFirst().orElse("");
        }
        return text.isEmpty() ? "" : " " + (text.length() > 120 ? text.substring(0, 120) : text);
    }
}
