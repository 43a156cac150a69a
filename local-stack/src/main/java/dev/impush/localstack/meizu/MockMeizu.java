package dev.impush.localstack.meizu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Meizu (Flyme) {@code pushByPushId} (notification and pass-through) on loopback, checking what
 * Flyme checks: required fields (110004), the app id (110000), the MD5 signature over the sorted raw
 * parameters plus the app secret (1006), the message fields and their limits (title 1–32, content
 * 1–100 characters, validTime 1–72 h, notifyKey up to 32; 1005), the private-message class
 * {@code noticeMsgType = 1} (1005 otherwise: IM must not go as public), and registered push ids: an
 * unknown or expired one comes back under {@code 110003} in the per-target {@code value} map, the
 * shape Flyme uses. Accepted sends are recorded with the {@code messageId} of the click parameters
 * (or pass-through content) and the {@code notifyKey} as collapse id. Thread-safe.
 */
public final class MockMeizu extends MockVendorServer {
    public static final String NOTIFICATION_PATH = "/garcia/api/server/push/varnished/pushByPushId";
    public static final String PASS_THROUGH_PATH = "/garcia/api/server/push/unvarnished/pushByPushId";

    private final String appId;
    private final String appSecret;

    private MockMeizu(String appId, String appSecret, Clock clock) {
        super("meizu", clock);
        this.appId = appId;
        this.appSecret = appSecret;
        route(NOTIFICATION_PATH, r -> send(r, false));
        route(PASS_THROUGH_PATH, r -> send(r, true));
    }

    public static MockMeizu start(String appId, String appSecret, Clock clock) {
        MockMeizu mock = new MockMeizu(appId, appSecret, clock);
        mock.start();
        return mock;
    }

    /** Flyme's top-level "too fast" answer (110010). */
    public static Reply tooFast() {
        return answer("110010", "推送频率过快", null);
    }

    /** Flyme's daily limit answer (110019). */
    public static Reply dailyQuotaExceeded() {
        return answer("110019", "超过当天推送次数限制", null);
    }

    /** A 503 with an empty body: no result at all. */
    public static Reply unavailable() {
        return new Reply(503, "", Map.of());
    }

    /** A "200" answer listing {@code pushId} under the per-target {@code code}. */
    public static Reply perTarget(String code, String pushId) {
        return answer("200", "", Map.of(code, List.of(pushId)));
    }

    private Reply send(Request request, boolean passThrough) {
        count("send");
        Reply scripted = scriptedFailure();
        if (scripted != null) {
            return scripted;
        }
        Map<String, String> form = request.form();
        for (String field : List.of("appId", "pushIds", "messageJson", "sign")) {
            if (blank(form.get(field))) {
                return rejected("110004", "参数不能为空: " + field);
            }
        }
        if (!appId.equals(form.get("appId"))) {
            return rejected("110000", "appId不合法");
        }
        if (!sign(form).equals(form.get("sign"))) {
            return rejected("1006", "签名认证失败");
        }
        JsonNode message;
        try {
            message = Json.mapper().readTree(form.get("messageJson"));
        } catch (IOException e) {
            return rejected("1005", "messageJson is not JSON");
        }
        String problem = passThrough ? invalidPassThrough(message) : invalidNotification(message);
        if (problem != null) {
            return rejected("1005", "参数错误: " + problem);
        }
        String messageId = passThrough ? contentMessageId(message)
                : message.path("clickTypeInfo").path("parameters").path("messageId").asText(null);
        String notifyKey = passThrough ? null : message.path("advanceInfo").path("notifyKey").asText(null);
        List<String> invalid = new ArrayList<>();
        for (String pushId : form.get("pushIds").split(",")) {
            String device = liveDevice(pushId.trim());
            if (device == null) {
                invalid.add(pushId.trim());
            } else {
                accepted(messageId, device, notifyKey, form.toString());
            }
        }
        return answer("200", "", invalid.isEmpty() ? Map.of() : Map.of("110003", invalid));
    }

    private static String invalidNotification(JsonNode m) {
        JsonNode bar = m.path("noticeBarInfo");
        if (bar.path("noticeMsgType").asInt(0) != 1) {
            return "noticeBarInfo.noticeMsgType must be 1 (private message) for IM";
        }
        if (!within(bar.path("title").asText(""), 1, 32)) {
            return "noticeBarInfo.title must be 1-32 characters";
        }
        if (!within(bar.path("content").asText(""), 1, 100)) {
            return "noticeBarInfo.content must be 1-100 characters";
        }
        int clickType = m.path("clickTypeInfo").path("clickType").asInt(0);
        if (clickType < 0 || clickType > 3 || clickType == 2 && m.path("clickTypeInfo").path("url").asText("").isBlank()) {
            return "clickTypeInfo.clickType must be 0-3, and 2 needs url";
        }
        if (m.path("advanceInfo").path("notifyKey").asText("").length() > 32) {
            return "advanceInfo.notifyKey must be at most 32 characters";
        }
        return invalidTime(m);
    }

    private static String invalidPassThrough(JsonNode m) {
        if (!within(m.path("content").asText(""), 1, 2000)) {
            return "content must be 1-2000 characters";
        }
        return invalidTime(m);
    }

    private static String invalidTime(JsonNode m) {
        JsonNode time = m.path("pushTimeInfo");
        if (time.path("offLine").asInt(1) == 1) {
            int hours = time.path("validTime").asInt(24);
            if (hours < 1 || hours > 72) {
                return "pushTimeInfo.validTime must be 1-72 hours";
            }
        }
        return null;
    }

    private static String contentMessageId(JsonNode m) {
        try {
            return Json.mapper().readTree(m.path("content").asText("")).path("messageId").asText(null);
        } catch (IOException e) {
            return null;
        }
    }

    /** Flyme's recipe: sorted key=value pairs (raw values, no separator) + app secret, MD5, lowercase hex. */
    private String sign(Map<String, String> form) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(form).forEach((k, v) -> {
            if (!"sign".equals(k)) {
                s.append(k).append('=').append(v);
            }
        });
        s.append(appSecret);
        return hexDigest("MD5", s.toString());
    }

    private Reply rejected(String code, String message) {
        count("rejected." + code);
        return answer(code, message, null);
    }

    private static Reply answer(String code, String message, Map<String, List<String>> perTarget) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("value", perTarget == null ? "" : perTarget);
        body.put("redirect", "");
        body.put("msgId", "NS" + UUID.randomUUID().toString().replace("-", "").substring(0, 18));
        return Reply.json(200, body);
    }

    private static boolean within(String s, int min, int max) {
        int n = s.codePointCount(0, s.length());
        return n >= min && n <= max;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
