package dev.impush.worker.channel.huawei;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorHttp;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Translates a Push Kit answer to a one-token send into a {@link SendOutcome}, per the Huawei table
 * in {@code vendor-apis.md}. HTTP 503 is flow control; otherwise the {@code code} decides; a code
 * the table does not know falls back on the status (5xx retry, 401 auth expired, else rejected).
 * Stateless apart from the clock; thread-safe.
 */
final class HuaweiResponses {
    static final String SUCCESS = "80000000";
    /** Some tokens failed: {@code msg} is a JSON string with {@code illegal_tokens}. */
    static final String PARTIAL = "80100000";
    static final Set<String> INVALID_TOKEN = Set.of("80300007");
    static final Set<String> AUTH_EXPIRED = Set.of("80200001", "80200003");
    static final Set<String> RETRY = Set.of("81000001", "80600003");
    /** Parameter, permission and size errors: the same request can never succeed. Listed for the tests. */
    static final Set<String> REJECTED = Set.of(
            "80100001", "80100002", "80100003", "80100004", "80100013", "80100016", "80100017", "80100018",
            "80300002", "80300008", "80300010", "80300011",
            "82000001", "82000002", "82000003", "82000004", "82000005", "82000006", "82000007",
            "82000008", "82000009", "82000010", "82000011", "82000012", "82000013");
    private static final int MAX_REASON_CHARS = 200;

    private final Clock clock;
    private final VendorSettings settings;
    private final Set<String> dailyQuotaCodes;

    HuaweiResponses(Clock clock, VendorSettings settings, Set<String> dailyQuotaCodes) {
        this.clock = clock;
        this.settings = settings;
        this.dailyQuotaCodes = Set.copyOf(dailyQuotaCodes);
    }

    /**
     * @param token      the one device token the request carried (looked up in {@code illegal_tokens})
     * @param retryAfter the {@code Retry-After} of the answer, if any
     */
    SendOutcome map(int status, String body, Optional<Duration> retryAfter, String token) {
        Instant now = clock.instant();
        JsonNode j = VendorHttp.parseJson(body);
        String code = j.path("code").asText("");
        String reason = "huawei " + (code.isEmpty() ? "" : code + " ") + "(HTTP " + status + ")"
                // the 80100000 msg lists device tokens: never in a reason that may be logged
                + (j.path("msg").isMissingNode() || PARTIAL.equals(code) ? "" : ": " + clip(j.path("msg").asText()));
        if (status == 503) {
            return settings.rateLimited(now, retryAfter, reason);
        }
        if (SUCCESS.equals(code)) {
            return SendOutcome.DELIVERED;
        }
        if (PARTIAL.equals(code)) {
            return partial(j.path("msg").asText(""), token, now, reason + ": token in illegal_tokens");
        }
        if (INVALID_TOKEN.contains(code)) {
            return new SendOutcome.InvalidToken(now, reason);
        }
        if (AUTH_EXPIRED.contains(code)) {
            return new SendOutcome.AuthExpired(reason);
        }
        if (dailyQuotaCodes.contains(code)) {
            return settings.quotaUsedUp(now, reason);
        }
        if (RETRY.contains(code) || (!REJECTED.contains(code) && status >= 500)) {
            return new SendOutcome.Retry(retryAfter.orElse(Duration.ZERO), reason);
        }
        if (code.isEmpty() && status == 401) {
            return new SendOutcome.AuthExpired(reason);
        }
        return new SendOutcome.Rejected(reason);
    }

    /** 80100000: our single token failed when it is in {@code illegal_tokens} (or nothing succeeded). */
    private static SendOutcome partial(String msg, String token, Instant now, String reason) {
        JsonNode result = VendorHttp.parseJson(msg);
        for (JsonNode t : result.path("illegal_tokens")) {
            if (token.equals(t.asText())) {
                return new SendOutcome.InvalidToken(now, reason);
            }
        }
        if (result.path("success").asInt(1) == 0 && result.path("failure").asInt(0) > 0) {
            return new SendOutcome.InvalidToken(now, reason);
        }
        return SendOutcome.DELIVERED;
    }

    private static String clip(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "…";
    }
}
