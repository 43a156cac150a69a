package dev.impush.localstack.vivo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.model.codec.Json;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local vivo push server: {@code POST /message/auth} and {@code POST /message/send}, checked the
 * way vivo checks them and answered in vivo's shape {@code {result, desc, ...}} (HTTP 200).
 *
 * <p>Auth: appId (10094 when unknown), appKey (10200), timestamp within ±10 min (10207), sign =
 * md5hex(appId + appKey + timestamp + appSecret) (10206); issues a token of
 * {@link #authTokenLifetime()}. Send: {@code authToken} header issued here and live (else 10000),
 * injected failures ({@link #failNext}), required fields and limits (title ≤ 40, content ≤ 100,
 * timeToLive 60 s – 7 days, clientCustomMap ≤ 10, requestId ≤ 64, notifyType 1–4, skipType 1–4:
 * 10201–10205), classification 0/1 and, for 1, a system category (10205), then the regId: unknown
 * → {@code invalidUser.status 1}, expired → status 2, each with result 0 as vivo answers. An
 * accepted send is recorded as ({@code "vivo"}, {@code clientCustomMap.messageId}, device,
 * {@code notifyId}). Counters: {@code auth}, {@code send}, {@code class.<classification>/<category>}.
 *
 * <p>The codes 10201–10205 for field errors approximate vivo's documented parameter errors.
 * Thread-safe.
 */
public final class MockVivo extends MockVendorServer {
    public static final String CHANNEL = "vivo";
    static final Set<String> SYSTEM_CATEGORIES = Set.of("IM", "ACCOUNT", "TODO", "DEVICE_REMINDER", "ORDER",
            "SUBSCRIPTION", "NEWS", "CONTENT", "MARKETING", "SOCIAL");

    private final String appId;
    private final String appKey;
    private final String appSecret;
    private final AtomicReference<JsonNode> lastSend = new AtomicReference<>();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    private MockVivo(String appId, String appKey, String appSecret, Clock clock) {
        super(CHANNEL, clock);
        this.appId = appId;
        this.appKey = appKey;
        this.appSecret = appSecret;
        route("/message/auth", this::auth);
        route("/message/send", this::send);
    }

    /** A started mock for the given app credentials. */
    public static MockVivo start(String appId, String appKey, String appSecret, Clock clock) {
        MockVivo mock = new MockVivo(appId, appKey, appSecret, clock);
        mock.start();
        return mock;
    }

    /** A started mock with generated credentials. */
    public static MockVivo start(Clock clock) {
        return start("10" + (100000 + (int) (Math.random() * 800000)), "key-" + UUID.randomUUID(),
                "secret-" + UUID.randomUUID(), clock);
    }

    public String appId() {
        return appId;
    }

    public String appKey() {
        return appKey;
    }

    public String appSecret() {
        return appSecret;
    }

    /** The last send body that passed authentication, for payload assertions. */
    public JsonNode lastSend() {
        return lastSend.get();
    }

    /** vivo's frequency limit answer (10252). */
    public static Reply rateLimited() {
        return answer(10252, "push frequency exceeds the limit");
    }

    /** vivo's daily total quota answer (10070). */
    public static Reply quotaExceeded() {
        return answer(10070, "total push quota of the day exceeded");
    }

    /** An HTTP 500 with no vivo body. */
    public static Reply serverError() {
        return new Reply(500, "", Map.of());
    }

    private Reply auth(Request r) {
        JsonNode b = r.json();
        if (!appId.equals(b.path("appId").asText())) {
            return answer(10094, "appId is not valid");
        }
        if (!appKey.equals(b.path("appKey").asText())) {
            return answer(10200, "appKey is not valid");
        }
        if (!b.path("timestamp").canConvertToLong() || !timestampFresh(b.path("timestamp").asLong())) {
            return answer(10207, "timestamp is out of range");
        }
        String expected = hexDigest("MD5", appId + appKey + b.path("timestamp").asLong() + appSecret);
        if (!expected.equals(b.path("sign").asText())) {
            return answer(10206, "sign is not valid");
        }
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("result", 0);
        ok.put("desc", "请求成功");
        ok.put("authToken", issueAuthToken());
        return Reply.json(200, ok);
    }

    private Reply send(Request r) {
        count("send");
        if (!authValid(r.header("authToken"))) {
            return answer(10000, "authToken is not valid or has expired");
        }
        JsonNode b = r.json();
        lastSend.set(b);
        Reply failure = scriptedFailure();
        if (failure != null) {
            return failure;
        }
        if (!appId.equals(b.path("appId").asText())) {
            return answer(10094, "appId does not match the authToken");
        }
        String problem = fieldProblem(b);
        if (problem != null) {
            return answer(problem.startsWith("classification") ? 10205 : 10201, problem);
        }
        count("class." + b.path("classification").asInt() + "/" + b.path("category").asText(""));
        String regId = b.path("regId").asText();
        String device = liveDevice(regId);
        if (device == null) {
            Map<String, Object> invalid = new LinkedHashMap<>();
            invalid.put("status", isRegistered(regId) ? 2 : 1);
            invalid.put("userid", regId);
            Map<String, Object> body = ok();
            body.put("invalidUser", invalid);
            return Reply.json(200, body);
        }
        accepted(b.path("clientCustomMap").path("messageId").asText(null), device, b.path("notifyId").asText(null), b.toString());
        Map<String, Object> ok = ok();
        String callback = b.path("extra").path("callback").asText(null);
        if (callback != null) { // vivo's delivery receipt: {"<taskId>": {"param", "targets"}}
            callBack(callback, "application/json", Json.mapper().valueToTree(Map.of(ok.get("taskId"), Map.of(
                    "param", b.path("extra").path("callback.param").asText(""), "targets", regId))).toString());
        }
        return Reply.json(200, ok);
    }

    private static String fieldProblem(JsonNode b) {
        if (b.path("regId").asText("").isBlank()) {
            return "regId is required";
        }
        if (!between(b.path("notifyType"), 1, 4)) {
            return "notifyType must be 1..4";
        }
        if (!text(b, "title", 40)) {
            return "title is required, at most 40 characters";
        }
        if (!text(b, "content", 100)) {
            return "content is required, at most 100 characters";
        }
        if (b.has("timeToLive") && !between(b.path("timeToLive"), 60, Duration.ofDays(7).toSeconds())) {
            return "timeToLive must be 60..604800 seconds";
        }
        if (!between(b.path("skipType"), 1, 4) || (b.path("skipType").asInt() != 1 && b.path("skipContent").asText("").isBlank())) {
            return "skipType must be 1..4, with skipContent unless 1";
        }
        String requestId = b.path("requestId").asText("");
        if (requestId.isBlank() || requestId.length() > 64) {
            return "requestId is required, at most 64 characters";
        }
        if (b.path("clientCustomMap").size() > 10) {
            return "clientCustomMap has more than 10 entries";
        }
        if (!between(b.path("classification"), 0, 1)) {
            return "classification must be 0 or 1";
        }
        if (b.path("classification").asInt() == 1 && !SYSTEM_CATEGORIES.contains(b.path("category").asText(""))) {
            return "classification 1 needs a system category such as IM";
        }
        return null;
    }

    private boolean isRegistered(String regId) {
        // liveDevice is null for unknown and expired tokens alike; vivo tells them apart by status
        return registered.contains(regId);
    }

    @Override
    public void registerDevice(String deviceId, String token) {
        registered.add(token);
        super.registerDevice(deviceId, token);
    }

    private static boolean text(JsonNode b, String field, int max) {
        String s = b.path(field).asText("");
        return !s.isBlank() && s.codePointCount(0, s.length()) <= max;
    }

    private static boolean between(JsonNode n, long min, long max) {
        return n.canConvertToLong() && n.isNumber() && n.asLong() >= min && n.asLong() <= max;
    }

    private static Map<String, Object> ok() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", 0);
        body.put("desc", "请求成功");
        body.put("taskId", Long.toString(System.nanoTime()));
        return body;
    }

    static Reply answer(int result, String desc) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", result);
        body.put("desc", desc);
        return Reply.json(200, body);
    }

}
