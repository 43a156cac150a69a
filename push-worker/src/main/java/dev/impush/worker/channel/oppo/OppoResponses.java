package dev.impush.worker.channel.oppo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Clock;
import java.util.Set;

/**
 * Translates OPPO's answers ({@code {code, message, data}}) into a {@link SendOutcome}, per the
 * OPPO table of vendor-apis.md. Stateless; thread-safe.
 *
 * <ul>
 *   <li>Delivered: 0. InvalidToken: 10000 (invalid registration id), 10001 (unsubscribed,
 *       notifications off).</li>
 *   <li>Retry: -1 and HTTP 5xx (transport failures fail the future upstream).</li>
 *   <li>RateLimited: 33 (daily limit) until the next quota midnight; -2, 13, 55 (frequency) for the
 *       configured backoff.</li>
 *   <li>AuthExpired: 11 (invalid auth token), 29 (missing auth token).</li>
 *   <li>Rejected: everything else, e.g. 12, 14–28 (14 bad app key, 16 bad sign, 19 bad timestamp),
 *       30–32, 40, 41, 51, 59, 67 (classification).</li>
 * </ul>
 */
final class OppoResponses {
    static final int OK = 0;
    static final Set<Integer> INVALID_TOKEN = Set.of(10000, 10001);
    static final int UNAVAILABLE = -1;
    static final int DAILY_LIMIT = 33;
    static final Set<Integer> FREQUENCY_LIMITS = Set.of(-2, 13, 55);
    static final Set<Integer> AUTH_EXPIRED = Set.of(11, 29);
    private static final int MAX_MESSAGE = 200;

    private OppoResponses() {}

    /** The outcome of a unicast answered with {@code status} and {@code body}. */
    static SendOutcome send(int status, JsonNode body, Clock clock, VendorSettings settings) {
        if (status >= 500) {
            return SendOutcome.retry("oppo HTTP " + status);
        }
        JsonNode code = body.path("code");
        if (!code.canConvertToInt()) {
            return status == 200 ? SendOutcome.retry("oppo: unreadable answer")
                    : new SendOutcome.Rejected("oppo HTTP " + status);
        }
        return code.asInt() == OK ? SendOutcome.DELIVERED
                : code(code.asInt(), body.path("message").asText(""), clock, settings);
    }

    /** The outcome of a non-zero {@code code}, from the send or the auth endpoint. */
    static SendOutcome code(int code, String message, Clock clock, VendorSettings settings) {
        String reason = "oppo " + code + ": " + (message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message);
        if (INVALID_TOKEN.contains(code)) {
            return new SendOutcome.InvalidToken(clock.instant(), reason);
        }
        if (code == UNAVAILABLE) {
            return SendOutcome.retry(reason);
        }
        if (code == DAILY_LIMIT) {
            return settings.quotaUsedUp(clock.instant(), reason);
        }
        if (FREQUENCY_LIMITS.contains(code)) {
            return settings.rateLimited(clock.instant(), reason);
        }
        if (AUTH_EXPIRED.contains(code)) {
            return new SendOutcome.AuthExpired(reason);
        }
        return new SendOutcome.Rejected(reason);
    }
}
