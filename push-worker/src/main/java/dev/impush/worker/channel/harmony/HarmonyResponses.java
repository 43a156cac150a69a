package dev.impush.worker.channel.harmony;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Translates Push Kit for HarmonyOS's answer to a one-token send into a {@link SendOutcome}. Push Kit
 * answers {@code {"code","msg","requestId"}} with {@code code} a string, and may send a business error
 * with HTTP 200 or a 4xx: the code decides whatever the status; HTTP 503 is flow control.
 *
 * <ul>
 *   <li>80000000 delivered; 80100000 (partial) delivered unless our token is in {@code illegalTokens}.</li>
 *   <li>80300007 (all tokens invalid): the token is dead, unless {@code illegalTokens} files it under a
 *       reason that is not the token's fault ({@link HarmonyConfig#keepTokenReasons}: a missing right, a
 *       penalty), which rejects the push and keeps the token.</li>
 *   <li>80200005, 80200001: auth expired (a new JWT, one resend); 80300029: the daily quota; 81000001
 *       and other 5xx: retry; anything else rejected with its code.</li>
 * </ul>
 * {@code msg} is quoted in reasons, except where it lists tokens. Thread-safe.
 */
final class HarmonyResponses {
    static final String SUCCESS = "80000000";
    /** Some tokens failed: {@code msg} is a JSON string with {@code illegalTokens}. */
    static final String PARTIAL = "80100000";
    static final String INNER_ERROR = "81000001";
    private static final int MAX_REASON_CHARS = 200;

    private final Clock clock;
    private final HarmonyConfig config;

    HarmonyResponses(Clock clock, HarmonyConfig config) {
        this.clock = clock;
        this.config = config;
    }

    /**
     * @param token      the one device token the request carried (looked up in {@code illegalTokens})
     * @param retryAfter the answer's {@code Retry-After}, if any
     */
    SendOutcome map(int status, String body, Optional<Duration> retryAfter, String token) {
        Instant now = clock.instant();
        JsonNode j = VendorHttp.parseJson(body);
        String code = j.path("code").asText("");
        boolean listsTokens = PARTIAL.equals(code) || config.invalidTokenCodes().contains(code);
        String reason = "harmony " + (code.isEmpty() ? "" : code + " ") + "(HTTP " + status + ")"
                + (j.path("msg").isMissingNode() || listsTokens ? "" : ": " + clip(j.path("msg").asText()));
        if (status == 503) {
            return config.settings().rateLimited(now, retryAfter, reason);
        }
        if (SUCCESS.equals(code)) {
            return SendOutcome.DELIVERED;
        }
        if (listsTokens) {
            Optional<String> tokenReason = tokenReason(j.path("msg").asText(""), token);
            if (PARTIAL.equals(code) && tokenReason.isEmpty()) {
                return SendOutcome.DELIVERED;
            }
            String why = tokenReason.orElse("unstated");
            return config.keepTokenReasons().contains(why)
                    ? new SendOutcome.Rejected(reason + ": token refused for " + why)
                    : new SendOutcome.InvalidToken(now, reason + ": token invalid (" + why + ")");
        }
        if (config.authExpiredCodes().contains(code) || (code.isEmpty() && status == 401)) {
            return new SendOutcome.AuthExpired(reason);
        }
        if (config.dailyQuotaCodes().contains(code)) {
            return config.settings().quotaUsedUp(now, reason);
        }
        if (INNER_ERROR.equals(code) || status >= 500) {
            return new SendOutcome.Retry(retryAfter.orElse(Duration.ZERO), reason);
        }
        return new SendOutcome.Rejected(reason);
    }

    /**
     * Why {@code msg}'s {@code illegalTokens} lists {@code token}: {@code {"illegalTokens": {"<reason>":
     * [tokens]}}} names the reason, a bare list {@code "illegalTokens"}; empty when it is not listed
     * (or {@code msg} is not such JSON).
     */
    static Optional<String> tokenReason(String msg, String token) {
        JsonNode illegal = VendorHttp.parseJson(msg).path("illegalTokens");
        if (illegal.isArray()) {
            return contains(illegal, token) ? Optional.of("illegalTokens") : Optional.empty();
        }
        for (Map.Entry<String, JsonNode> e : illegal.properties()) {
            if (contains(e.getValue(), token)) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    private static boolean contains(JsonNode tokens, String token) {
        for (JsonNode t : tokens) {
            if (token.equals(t.asText())) {
                return true;
            }
        }
        return false;
    }

    private static String clip(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "…";
    }
}
