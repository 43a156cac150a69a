package dev.impush.worker.channel.meizu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.SendOutcome;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * Translates a Meizu answer for one push id into a {@link SendOutcome} (vendor-apis.md, Meizu
 * table). A top-level {@code code} other than "200" concerns the whole request; with "200", the
 * {@code value} map (per-target code → push ids) decides for our token, and a token in no list was
 * delivered. The same number means different things at the two levels: per target 110010 is "push
 * switch closed" (invalid), at top level "too fast". Unknown codes are {@link SendOutcome.Rejected}
 * with the code in the reason. Stateless and thread-safe.
 */
final class MeizuResponses {
    private static final int MAX_REASON_CHARS = 200;

    enum Kind { DELIVERED, INVALID_TOKEN, RETRY, RATE_LIMITED, REJECTED }

    /** Codes for the whole request. 500/501/513/519 (server errors) and 518 (speed) come from the SDK's code list. */
    static final Map<String, Kind> TOP_LEVEL = Map.ofEntries(
            Map.entry("1001", Kind.RETRY), Map.entry("1003", Kind.RETRY), Map.entry("500", Kind.RETRY),
            Map.entry("501", Kind.RETRY), Map.entry("513", Kind.RETRY), Map.entry("519", Kind.RETRY),
            Map.entry("110010", Kind.RATE_LIMITED), Map.entry("110019", Kind.RATE_LIMITED),
            Map.entry("518", Kind.RATE_LIMITED),
            Map.entry("1005", Kind.REJECTED), Map.entry("1006", Kind.REJECTED), Map.entry("110000", Kind.REJECTED),
            Map.entry("110001", Kind.REJECTED), Map.entry("110009", Kind.REJECTED), Map.entry("110031", Kind.REJECTED),
            Map.entry("110033", Kind.REJECTED), Map.entry("201", Kind.REJECTED), Map.entry("110004", Kind.REJECTED));

    /** Codes in the per-target map. 520 = folded as a repeat of what the device already got. */
    static final Map<String, Kind> PER_TARGET = Map.ofEntries(
            Map.entry("110002", Kind.INVALID_TOKEN), Map.entry("110003", Kind.INVALID_TOKEN),
            Map.entry("110010", Kind.INVALID_TOKEN),
            Map.entry("501", Kind.RETRY), Map.entry("513", Kind.RETRY), Map.entry("519", Kind.RETRY),
            Map.entry("518", Kind.RATE_LIMITED), Map.entry("110011", Kind.RATE_LIMITED),
            Map.entry("520", Kind.DELIVERED));

    private final MeizuConfig config;

    MeizuResponses(MeizuConfig config) {
        this.config = config;
    }

    SendOutcome map(int status, JsonNode body, String token, Instant now) {
        String code = body.path("code").asText("");
        if (status >= 500 || (code.isEmpty() && status < 300)) {
            return SendOutcome.retry("meizu http " + status + (code.isEmpty() ? " without a result code" : ""));
        }
        if (code.isEmpty()) {
            return status == 429
                    ? config.settings().rateLimited(now, "meizu http 429")
                    : new SendOutcome.Rejected("meizu http " + status + " without a result code");
        }
        if (!"200".equals(code)) {
            return outcome(TOP_LEVEL.getOrDefault(code, Kind.REJECTED), code, reason(code, body), now);
        }
        for (Map.Entry<String, JsonNode> target : targets(body.path("value")).properties()) {
            for (JsonNode pushId : target.getValue()) {
                if (token.equals(pushId.asText())) {
                    String c = target.getKey();
                    return outcome(PER_TARGET.getOrDefault(c, Kind.REJECTED), c, reason(c, body) + " (per target)", now);
                }
            }
        }
        return SendOutcome.DELIVERED;
    }

    private SendOutcome outcome(Kind kind, String code, String reason, Instant now) {
        return switch (kind) {
            case DELIVERED -> SendOutcome.DELIVERED;
            case INVALID_TOKEN -> new SendOutcome.InvalidToken(now, reason);
            case RETRY -> SendOutcome.retry(reason);
            case RATE_LIMITED -> config.dailyQuotaCodes().contains(code)
                    ? config.settings().quotaUsedUp(now, reason) : config.settings().rateLimited(now, reason);
            case REJECTED -> new SendOutcome.Rejected(reason);
        };
    }

    /** {@code value} is the per-target map, as a JSON object or as a string holding one. */
    private static JsonNode targets(JsonNode value) {
        if (value.isTextual() && !value.asText().isBlank()) {
            try {
                value = Json.mapper().readTree(value.asText());
            } catch (IOException e) {
                return Json.mapper().createObjectNode();
            }
        }
        return value.isObject() ? value : Json.mapper().createObjectNode();
    }

    private static String reason(String code, JsonNode body) {
        String message = body.path("message").asText("");
        if (message.length() > MAX_REASON_CHARS) {
            message = message.substring(0, MAX_REASON_CHARS) + "…";
        }
        String msgId = body.path("msgId").asText("");
        return "meizu " + code + ": " + message + (msgId.isEmpty() ? "" : " (msgId " + msgId + ")");
    }
}
