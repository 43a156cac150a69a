package dev.impush.worker.channel.xiaomi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.xiaomi.XiaomiConfig.CodeClass;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Translates a MiPush answer for one registration id into a {@link SendOutcome} (vendor-apis.md,
 * Xiaomi table). {@code code 0} is only a delivery when the token is not in {@code data.bad_regids}.
 * Codes not in the table are {@link SendOutcome.Rejected} with the code in the reason, so they surface
 * in dead letters instead of looping. Stateless and thread-safe.
 */
final class XiaomiResponses {
    private static final int MAX_REASON_CHARS = 200;

    /** The vendor table; {@link XiaomiConfig#codeOverrides()} wins over it. */
    static final Map<Integer, CodeClass> CODES = Map.ofEntries(
            Map.entry(20301, CodeClass.INVALID_TOKEN), // "all targets invalid" [U]
            Map.entry(10029, CodeClass.INVALID_TOKEN),
            Map.entry(10001, CodeClass.RETRY), Map.entry(10002, CodeClass.RETRY), Map.entry(10003, CodeClass.RETRY),
            Map.entry(10009, CodeClass.RETRY), Map.entry(10011, CodeClass.RETRY), Map.entry(26003, CodeClass.RETRY),
            Map.entry(10022, CodeClass.RATE_LIMITED), Map.entry(10023, CodeClass.RATE_LIMITED),
            Map.entry(10024, CodeClass.RATE_LIMITED), Map.entry(10027, CodeClass.RATE_LIMITED),
            Map.entry(10028, CodeClass.RATE_LIMITED), Map.entry(26004, CodeClass.RATE_LIMITED),
            Map.entry(10034, CodeClass.DAILY_QUOTA),
            Map.entry(21301, CodeClass.REJECTED), Map.entry(21302, CodeClass.REJECTED),
            Map.entry(22007, CodeClass.REJECTED), Map.entry(22008, CodeClass.REJECTED),
            Map.entry(10008, CodeClass.REJECTED), Map.entry(10016, CodeClass.REJECTED),
            Map.entry(10017, CodeClass.REJECTED), Map.entry(10018, CodeClass.REJECTED),
            Map.entry(22022, CodeClass.REJECTED), Map.entry(10031, CodeClass.REJECTED),
            Map.entry(27001, CodeClass.REJECTED), Map.entry(65009, CodeClass.REJECTED));

    private final XiaomiConfig config;

    XiaomiResponses(XiaomiConfig config) {
        this.config = config;
    }

    SendOutcome map(int status, JsonNode body, String token, Instant now) {
        boolean hasCode = body.path("code").canConvertToInt() || body.path("code").isTextual();
        if (status >= 500 || (!hasCode && status < 300)) {
            // 5xx, or an empty or non-JSON answer: MiPush's own SDK retries these
            return SendOutcome.retry("xiaomi http " + status + (hasCode ? "" : " without a result code"));
        }
        if (!hasCode) {
            return status == 429
                    ? config.settings().rateLimited(now, "xiaomi http 429")
                    : new SendOutcome.Rejected("xiaomi http " + status + " without a result code");
        }
        int code = body.path("code").asInt(-1);
        String reason = reason(code, body);
        if (code == 0) {
            return badRegids(body).contains(token)
                    ? new SendOutcome.InvalidToken(now, "xiaomi bad_regids: " + reason)
                    : SendOutcome.DELIVERED;
        }
        CodeClass cls = config.codeOverrides().getOrDefault(code, CODES.getOrDefault(code, CodeClass.REJECTED));
        return switch (cls) {
            case INVALID_TOKEN -> new SendOutcome.InvalidToken(now, reason);
            case RETRY -> SendOutcome.retry(reason);
            case RATE_LIMITED -> config.settings().rateLimited(now, reason);
            case DAILY_QUOTA -> config.settings().quotaUsedUp(now, reason);
            case REJECTED -> new SendOutcome.Rejected(reason);
        };
    }

    /** {@code data.bad_regids} is a comma-separated string (a JSON array is read too). */
    private static List<String> badRegids(JsonNode body) {
        JsonNode bad = body.path("data").path("bad_regids");
        if (bad.isArray()) {
            List<String> out = new ArrayList<>();
            bad.forEach(t -> out.add(t.asText().trim()));
            return out;
        }
        return bad.isTextual() ? Arrays.stream(bad.asText().split(",")).map(String::trim).toList() : List.of();
    }

    private static String reason(int code, JsonNode body) {
        String text = body.path("description").asText("") + (body.hasNonNull("reason") ? " / " + body.path("reason").asText() : "");
        if (text.length() > MAX_REASON_CHARS) {
            text = text.substring(0, MAX_REASON_CHARS) + "…";
        }
        String trace = body.path("trace_id").asText("");
        return "xiaomi " + code + ": " + text + (trace.isEmpty() ? "" : " (trace " + trace + ")");
    }
}
