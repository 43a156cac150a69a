package dev.impush.localstack.xiaomi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Xiaomi MiPush {@code POST /v3/message/regid} on loopback, checking what MiPush checks: the static
 * {@code Authorization: key=<AppSecret>} header (21301 otherwise), the package name, required fields
 * and their limits (title under 50, description under 128 characters, time_to_live at most two
 * weeks, numeric notify_id; 10017 otherwise), the private-message {@code extra.channel_id} (IM
 * class), and registered tokens: an unknown or expired token is answered {@code code 0} with the
 * token in {@code data.bad_regids}, as MiPush does. Accepted sends are recorded with the
 * {@code messageId} of the payload and the {@code notify_id} as collapse id. Thread-safe.
 */
public final class MockXiaomi extends MockVendorServer {
    public static final String SEND_PATH = "/v3/message/regid";
    static final long MAX_TTL_MS = 14L * 24 * 3600 * 1000;

    private final String appSecret;
    private final String packageName;
    private final Set<String> privateChannels;

    private MockXiaomi(String appSecret, String packageName, Set<String> privateChannels, Clock clock) {
        super("xiaomi", clock);
        this.appSecret = appSecret;
        this.packageName = packageName;
        this.privateChannels = Set.copyOf(privateChannels);
        route(SEND_PATH, this::send);
    }

    /**
     * A started mock for one app.
     *
     * @param privateChannels the channel ids registered as private-message (IM) channels
     */
    public static MockXiaomi start(String appSecret, String packageName, Set<String> privateChannels, Clock clock) {
        MockXiaomi mock = new MockXiaomi(appSecret, packageName, privateChannels, clock);
        mock.start();
        return mock;
    }

    /** MiPush's frequency limit answer (10022). */
    public static Reply rateLimited() {
        return error(10022, "请求过于频繁", "Request too frequent");
    }

    /** MiPush's daily quota answer (10034). */
    public static Reply dailyQuotaExceeded() {
        return error(10034, "超过当天推送上限", "Daily push quota exceeded");
    }

    /** A 503 with an empty body. */
    public static Reply unavailable() {
        return new Reply(503, "", Map.of());
    }

    private Reply send(Request request) {
        count("send");
        Reply scripted = scriptedFailure();
        if (scripted != null) {
            return scripted;
        }
        if (!("key=" + appSecret).equals(request.header("Authorization"))) {
            count("rejected.21301");
            return error(21301, "认证失败", "Invalid application secret");
        }
        Map<String, String> form = request.form();
        String problem = invalid(form);
        if (problem != null) {
            count("rejected.10017");
            return error(10017, "参数非法", problem);
        }
        List<String> bad = new ArrayList<>();
        String messageId = messageId(form.get("payload"));
        for (String token : form.get("registration_id").split(",")) {
            String device = liveDevice(token.trim());
            if (device == null) {
                bad.add(token.trim());
            } else {
                accepted(messageId, device, form.get("notify_id"), form.toString());
                receipt(form, token.trim());
            }
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", "slm" + UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        if (!bad.isEmpty()) {
            data.put("bad_regids", String.join(",", bad));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", "ok");
        body.put("trace_id", traceId());
        body.put("code", 0);
        body.put("data", data);
        body.put("description", "成功");
        body.put("info", "Received push messages for 1 REGID");
        return Reply.json(200, body);
    }

    /**
     * Xiaomi's delivery receipt, when the push asked for one ({@code extra.callback}): a form whose
     * {@code data} is {@code {"<msgId>": {"param", "type": 1, "targets", "jobkey", "timestamp"}}}.
     */
    private void receipt(Map<String, String> form, String regId) {
        String url = form.get("extra.callback");
        if (url == null) {
            return;
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("param", form.get("extra.callback.param"));
        r.put("type", 1);
        r.put("targets", regId);
        r.put("jobkey", "");
        r.put("timestamp", System.currentTimeMillis());
        String data = Json.mapper().valueToTree(Map.of("slm" + UUID.randomUUID().toString().replace("-", "").substring(0, 20),
                r)).toString();
        callBack(url, "application/x-www-form-urlencoded",
                "data=" + URLEncoder.encode(data, StandardCharsets.UTF_8));
    }

    private String invalid(Map<String, String> form) {
        if (blank(form.get("registration_id"))) {
            return "registration_id is required";
        }
        if (!packageName.equals(form.get("restricted_package_name"))) {
            return "restricted_package_name does not match the app";
        }
        if (blank(form.get("payload")) && "1".equals(form.get("pass_through"))) {
            return "payload is required for pass-through";
        }
        if (!"1".equals(form.get("pass_through"))) {
            if (blank(form.get("title")) || length(form.get("title")) >= 50) {
                return "title must be non-blank and shorter than 50 characters";
            }
            if (blank(form.get("description")) || length(form.get("description")) >= 128) {
                return "description must be non-blank and shorter than 128 characters";
            }
        }
        try {
            if (form.containsKey("notify_id") && Integer.parseInt(form.get("notify_id")) < 0) {
                return "notify_id must not be negative";
            }
            if (form.containsKey("time_to_live")) {
                long ttl = Long.parseLong(form.get("time_to_live"));
                if (ttl <= 0 || ttl > MAX_TTL_MS) {
                    return "time_to_live must be 1.." + MAX_TTL_MS + " ms";
                }
            }
        } catch (NumberFormatException e) {
            return "notify_id and time_to_live must be numbers";
        }
        if ("2".equals(form.get("extra.notify_effect")) && blank(form.get("extra.intent_uri"))) {
            return "extra.notify_effect 2 needs extra.intent_uri";
        }
        String channel = form.get("extra.channel_id");
        if (blank(channel)) {
            return "extra.channel_id is required under the message classification";
        }
        if (!privateChannels.contains(channel)) {
            return "extra.channel_id " + channel + " is not a private-message channel of the app";
        }
        return null;
    }

    /** The payload is URL-encoded JSON (on top of the form encoding). */
    private static String messageId(String payload) {
        if (payload == null) {
            return null;
        }
        try {
            JsonNode json = Json.mapper().readTree(URLDecoder.decode(payload, StandardCharsets.UTF_8));
            return json.path("messageId").asText(null);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Reply error(int code, String description, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", "error");
        body.put("reason", reason);
        body.put("trace_id", traceId());
        body.put("code", code);
        body.put("description", description);
        return Reply.json(200, body);
    }

    private static String traceId() {
        return "Xcm" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
