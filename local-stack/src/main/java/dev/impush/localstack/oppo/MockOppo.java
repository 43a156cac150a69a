package dev.impush.localstack.oppo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.model.codec.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local OPPO push server: {@code POST /server/v1/auth} and
 * {@code POST /server/v1/message/notification/unicast}, checked the way OPPO checks them and
 * answered in OPPO's shape {@code {code, message, data}} (HTTP 200).
 *
 * <p>Auth (form {@code app_key, timestamp, sign}): app key (15 missing, 14 unknown), timestamp
 * (18 missing, 19 outside ±10 min), sign = sha256hex(app_key + timestamp + master_secret)
 * (17 missing, 16 wrong); answers {@code data.auth_token} of {@link #authTokenLifetime()}.
 * Unicast (form {@code auth_token, message}): token (29 missing, 11 unknown or expired), injected
 * failures ({@link #failNext}), message JSON (40 missing fields, 41 bad values: title ≤ 50,
 * content ≤ 200, off_line_ttl ≤ 10 days, notify_level 1/2/16, click_action_type), IM class
 * (67: {@code channel_id} not a registered private channel, or an unknown category), then the
 * registration id (10000 unknown, 10001 expired). An accepted send is recorded as
 * ({@code "oppo"}, {@code action_parameters.messageId}, device, {@code notify_id}). Counters:
 * {@code auth}, {@code send}, {@code channel.<channel_id>}.
 *
 * <p>Thread-safe.
 */
public final class MockOppo extends MockVendorServer {
    public static final String CHANNEL = "oppo";
    static final Set<String> CATEGORIES = Set.of("IM", "ACCOUNT", "DEVICE_REMINDER", "ORDER", "TODO", "SUBSCRIPTION",
            "NEWS", "CONTENT", "MARKETING", "SOCIAL");
    static final Set<Integer> NOTIFY_LEVELS = Set.of(1, 2, 16);

    private final String appKey;
    private final String masterSecret;
    private final Set<String> privateChannels = ConcurrentHashMap.newKeySet();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final AtomicReference<JsonNode> lastMessage = new AtomicReference<>();

    private MockOppo(String appKey, String masterSecret, Clock clock) {
        super(CHANNEL, clock);
        this.appKey = appKey;
        this.masterSecret = masterSecret;
        privateChannels.add("impush_im");
        route("/server/v1/auth", this::auth);
        route("/server/v1/message/notification/unicast", this::unicast);
    }

    /** A started mock for the given app credentials, with {@code impush_im} as private channel. */
    public static MockOppo start(String appKey, String masterSecret, Clock clock) {
        MockOppo mock = new MockOppo(appKey, masterSecret, clock);
        mock.start();
        return mock;
    }

    /** A started mock with generated credentials. */
    public static MockOppo start(Clock clock) {
        return start("key-" + UUID.randomUUID(), "master-" + UUID.randomUUID(), clock);
    }

    public String appKey() {
        return appKey;
    }

    public String masterSecret() {
        return masterSecret;
    }

    /** Registers {@code channelId} as a private-message (IM) channel of the app. */
    public void registerPrivateChannel(String channelId) {
        privateChannels.add(channelId);
    }

    /** The last unicast {@code message} that passed authentication, for payload assertions. */
    public JsonNode lastMessage() {
        return lastMessage.get();
    }

    @Override
    public void registerDevice(String deviceId, String token) {
        registered.add(token);
        super.registerDevice(deviceId, token);
    }

    /** OPPO's flow-control answer (-2). */
    public static Reply rateLimited() {
        return answer(-2, "Service in Flow Control");
    }

    /** OPPO's daily limit answer (33). */
    public static Reply quotaExceeded() {
        return answer(33, "The number of messages exceeds the daily limit");
    }

    /** An HTTP 502 with no OPPO body. */
    public static Reply serverError() {
        return new Reply(502, "", Map.of());
    }

    private Reply auth(Request r) {
        Map<String, String> f = r.form();
        String key = f.get("app_key");
        if (key == null || key.isBlank()) {
            return answer(15, "Missing App Key");
        }
        if (!appKey.equals(key)) {
            return answer(14, "Invalid App Key");
        }
        String timestamp = f.get("timestamp");
        if (timestamp == null || timestamp.isBlank()) {
            return answer(18, "Missing Timestamp");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return answer(19, "Invalid Timestamp");
        }
        if (!timestampFresh(ts)) {
            return answer(19, "Invalid Timestamp");
        }
        String sign = f.get("sign");
        if (sign == null || sign.isBlank()) {
            return answer(17, "Missing Signature");
        }
        if (!hexDigest("SHA-256", appKey + timestamp + masterSecret).equals(sign)) {
            return answer(16, "Invalid Signature");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("auth_token", issueAuthToken());
        data.put("create_time", clock.millis());
        return ok(data);
    }

    private Reply unicast(Request r) {
        count("send");
        Map<String, String> f = r.form();
        String token = f.get("auth_token");
        if (token == null || token.isBlank()) {
            return answer(29, "Missing Auth Token");
        }
        if (!authValid(token)) {
            return answer(11, "Invalid AuthToken");
        }
        JsonNode m;
        try {
            m = Json.mapper().readTree(f.getOrDefault("message", ""));
        } catch (Exception e) {
            return answer(41, "Invalid Arguments: message is not JSON");
        }
        if (m == null || !m.isObject()) {
            return answer(40, "Missing Required Arguments: message");
        }
        lastMessage.set(m);
        Reply failure = scriptedFailure();
        if (failure != null) {
            return failure;
        }
        Reply problem = problem(m);
        if (problem != null) {
            return problem;
        }
        JsonNode n = m.path("notification");
        count("channel." + n.path("channel_id").asText());
        String regId = m.path("target_value").asText();
        String device = liveDevice(regId);
        if (device == null) {
            return registered.contains(regId) ? answer(10001, "Unsubscribed RegistrationId")
                    : answer(10000, "Invalid RegistrationId");
        }
        String messageId = parameters(n).path("messageId").asText(null);
        accepted(messageId, device, n.path("notify_id").asText(null), m.toString());
        String oppoId = "oppo-" + UUID.randomUUID();
        String callback = n.path("call_back_url").asText(null);
        if (callback != null) { // OPPO's receipt: an array of events
            callBack(callback, "application/json", Json.mapper().valueToTree(List.of(Map.of("messageId", oppoId,
                    "appId", "oppo-app", "taskId", oppoId, "registrationIds", regId,
                    "eventTime", Long.toString(System.currentTimeMillis()),
                    "param", n.path("call_back_parameter").asText(""), "eventType", "push_arrive"))).toString());
        }
        return ok(Map.of("messageId", oppoId));
    }

    private Reply problem(JsonNode m) {
        if (m.path("target_type").asInt() != 2 || m.path("target_value").asText("").isBlank()) {
            return answer(40, "Missing Required Arguments: target_type 2 and target_value");
        }
        JsonNode n = m.path("notification");
        String title = n.path("title").asText("");
        String content = n.path("content").asText("");
        if (title.isBlank() || content.isBlank()) {
            return answer(40, "Missing Required Arguments: title, content");
        }
        if (title.codePointCount(0, title.length()) > 50 || content.codePointCount(0, content.length()) > 200) {
            return answer(41, "Invalid Arguments: title ≤ 50, content ≤ 200 characters");
        }
        if (n.has("off_line_ttl") && (!n.path("off_line_ttl").canConvertToLong()
                || n.path("off_line_ttl").asLong() < 1 || n.path("off_line_ttl").asLong() > Duration.ofDays(10).toSeconds())) {
            return answer(41, "Invalid Arguments: off_line_ttl");
        }
        if (n.has("notify_level") && !NOTIFY_LEVELS.contains(n.path("notify_level").asInt())) {
            return answer(41, "Invalid Arguments: notify_level");
        }
        if (!Set.of(0, 1, 2, 4, 5).contains(n.path("click_action_type").asInt(0))) {
            return answer(41, "Invalid Arguments: click_action_type");
        }
        if (Set.of(2, 5).contains(n.path("click_action_type").asInt(0)) && n.path("click_action_url").asText("").isBlank()) {
            return answer(41, "Invalid Arguments: click_action_url");
        }
        if (n.has("action_parameters") && !parameters(n).isObject()) {
            return answer(41, "Invalid Arguments: action_parameters");
        }
        if (!privateChannels.contains(n.path("channel_id").asText(""))) {
            return answer(67, "channel_id is not a registered private message channel");
        }
        if (n.has("category") && !CATEGORIES.contains(n.path("category").asText())) {
            return answer(67, "Invalid category");
        }
        return null;
    }

    private static JsonNode parameters(JsonNode notification) {
        try {
            JsonNode p = Json.mapper().readTree(notification.path("action_parameters").asText("{}"));
            return p == null ? Json.mapper().createObjectNode() : p;
        } catch (Exception e) {
            return Json.mapper().createArrayNode();
        }
    }

    private static Reply ok(Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", 0);
        body.put("message", "Success");
        body.put("data", data);
        return Reply.json(200, body);
    }

    static Reply answer(int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return Reply.json(200, body);
    }

}
