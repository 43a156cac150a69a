package dev.impush.worker.channel.vivo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Clock;
import java.util.Set;

/**
 * Translates vivo's answers ({@code {result, desc, taskId, invalidUser: {status, userid}}}) into a
 * {@link SendOutcome}, per the vivo table of vendor-apis.md. Stateless; thread-safe.
 *
 * <ul>
 *   <li>Delivered: {@code result} 0, unless {@code invalidUser} names this regId (status 1 unknown,
 *       2 uninstalled or notifications off, 3 offline for 90 days) → InvalidToken.</li>
 *   <li>InvalidToken: 10302.</li>
 *   <li>RateLimited: 10070 (daily total quota) until the next quota midnight; 10250 (auth-call
 *       limit), 10252, 10254 (frequency) for the configured backoff.</li>
 *   <li>AuthExpired: the configured codes (10000 by default, [U]).</li>
 *   <li>Retry: HTTP 5xx (and transport failures, which fail the future upstream).</li>
 *   <li>Rejected: everything else, e.g. 10200–10207 (10206 bad sign, 10207 bad timestamp), 10094.</li>
 * </ul>
 */
final class VivoResponses {
    static final int OK = 0;
    static final int INVALID_REG_ID = 10302;
    static final int DAILY_QUOTA = 10070;
    static final Set<Integer> FREQUENCY_LIMITS = Set.of(10250, 10252, 10254);
    private static final int MAX_DESC = 200;

    /** The settings the mapping depends on. */
    record Rules(Set<Integer> authExpiredCodes, VendorSettings settings) {
        static Rules of(VivoConfig c) {
            return new Rules(c.authExpiredCodes(), c.settings());
        }
    }

    private VivoResponses() {}

    /** The outcome of a send to {@code regId} answered with {@code status} and {@code body}. */
    static SendOutcome send(int status, JsonNode body, String regId, Clock clock, Rules rules) {
        if (status >= 500) {
            return SendOutcome.retry("vivo HTTP " + status);
        }
        JsonNode result = body.path("result");
        if (!result.canConvertToInt()) {
            return status == 200 ? SendOutcome.retry("vivo: unreadable answer")
                    : new SendOutcome.Rejected("vivo HTTP " + status);
        }
        int code = result.asInt();
        if (code == OK) {
            JsonNode invalid = body.path("invalidUser");
            if (invalid.isObject() && regId.equals(invalid.path("userid").asText())) {
                return new SendOutcome.InvalidToken(clock.instant(), "vivo invalidUser status "
                        + invalid.path("status").asText() + ": " + invalidStatus(invalid.path("status").asInt()));
            }
            return SendOutcome.DELIVERED;
        }
        return code(code, body.path("desc").asText(""), clock, rules);
    }

    /** The outcome of a non-zero {@code result}, from the send or the auth endpoint. */
    static SendOutcome code(int code, String desc, Clock clock, Rules rules) {
        String reason = "vivo " + code + ": " + (desc.length() > MAX_DESC ? desc.substring(0, MAX_DESC) + "…" : desc);
        if (rules.authExpiredCodes().contains(code)) {
            return new SendOutcome.AuthExpired(reason);
        }
        if (code == INVALID_REG_ID) {
            return new SendOutcome.InvalidToken(clock.instant(), reason);
        }
        if (code == DAILY_QUOTA) {
            return rules.settings().quotaUsedUp(clock.instant(), reason);
        }
        if (FREQUENCY_LIMITS.contains(code)) {
            return rules.settings().rateLimited(clock.instant(), reason);
        }
        return new SendOutcome.Rejected(reason);
    }

    private static String invalidStatus(int status) {
        return switch (status) {
            case 1 -> "unknown regId";
            case 2 -> "uninstalled or notifications off";
            case 3 -> "offline for 90 days";
            default -> "invalid";
        };
    }
}
