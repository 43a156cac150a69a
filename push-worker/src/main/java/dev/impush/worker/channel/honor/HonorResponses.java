package dev.impush.worker.channel.honor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorHttp;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Translates Honor's answer {@code {code, message, data}} to a one-token send into a
 * {@link SendOutcome}. The code table is configuration ({@link HonorConfig.Codes}, all [U]); HTTP
 * 429/503 are rate limits, a code the table does not know falls back on the status (5xx retry, 401
 * auth expired, else rejected). A success code whose {@code data} lists our token among failed
 * tokens ({@code failTokens}, {@code illegalTokens} or {@code illegal_tokens} [U]) is an invalid
 * token. Stateless apart from the clock; thread-safe.
 */
final class HonorResponses {
    /** [U] where a partial result may list failed tokens. */
    static final List<String> FAILED_TOKEN_FIELDS = List.of("failTokens", "illegalTokens", "illegal_tokens");
    private static final int MAX_REASON_CHARS = 200;

    private final Clock clock;
    private final HonorConfig.Codes codes;
    private final VendorSettings settings;

    HonorResponses(Clock clock, HonorConfig.Codes codes, VendorSettings settings) {
        this.clock = clock;
        this.codes = codes;
        this.settings = settings;
    }

    SendOutcome map(int status, String body, Optional<Duration> retryAfter, String token) {
        Instant now = clock.instant();
        JsonNode j = VendorHttp.parseJson(body);
        String code = j.path("code").asText("");
        String reason = "honor " + (code.isEmpty() ? "" : code + " ") + "(HTTP " + status + ")"
                + (j.path("message").isMissingNode() ? "" : ": " + clip(j.path("message").asText()));
        if (status == 429 || status == 503) {
            return settings.rateLimited(now, retryAfter, reason);
        }
        if (status < 300 && codes.success().contains(code)) {
            return listsToken(j.path("data"), token)
                    ? new SendOutcome.InvalidToken(now, reason + " (token among failed tokens)")
                    : SendOutcome.DELIVERED;
        }
        if (codes.invalidToken().contains(code)) {
            return new SendOutcome.InvalidToken(now, reason);
        }
        if (codes.authExpired().contains(code)) {
            return new SendOutcome.AuthExpired(reason);
        }
        if (codes.dailyQuota().contains(code)) {
            return settings.quotaUsedUp(now, reason);
        }
        if (codes.rateLimited().contains(code)) {
            return settings.rateLimited(now, retryAfter, reason);
        }
        if (codes.retry().contains(code) || status >= 500) {
            return new SendOutcome.Retry(retryAfter.orElse(Duration.ZERO), reason);
        }
        if (status == 401) {
            return new SendOutcome.AuthExpired(reason);
        }
        return new SendOutcome.Rejected(reason);
    }

    private static boolean listsToken(JsonNode data, String token) {
        for (String field : FAILED_TOKEN_FIELDS) {
            for (JsonNode t : data.path(field)) {
                if (token.equals(t.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String clip(String s) {
        return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "…";
    }
}
