package dev.impush.localstack.huawei;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.model.codec.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local Huawei Push Kit: the OAuth token endpoint ({@code POST /oauth2/v3/token}) and
 * {@code POST /v1/{appId}/messages:send}, checked the way Push Kit checks them and answered in its
 * shapes ({@code {code, msg, requestId}}).
 *
 * <p>Token endpoint: {@code grant_type=client_credentials} and the app's id and secret, else HTTP
 * 400 {@code {"error":1101,...}} (1102 for another grant type). Send, in order: bearer token
 * (missing/unknown 401 80200001, expired 401 80200003), app id in the path (80300002), scripted
 * failures ({@link #failNext}), body ≤ 4096 bytes (80300008), structure (80100003: 1–1000 tokens,
 * title and body, known category and importance, int notify_id, ttl {@code "<n>s"}), tokens
 * (all unknown/expired 80300007; some 80100000 with {@code illegal_tokens}). Each accepted token is
 * recorded as {@code ("huawei", data.messageId, deviceId, notify_id)}; category {@code IM} is
 * counted as {@code class.IM}.
 *
 * <p>Thread-safe. Lifecycle: {@link #start} binds 127.0.0.1 on an ephemeral port; {@link #close()}.
 */
public final class MockHuawei extends MockVendorServer {
    public static final String CHANNEL = "huawei";
    public static final int MAX_BYTES = 4096;
    private static final Set<String> CATEGORIES = Set.of("IM", "VOIP", "SUBSCRIPTION", "TRAVEL", "HEALTH", "WORK",
            "ACCOUNT", "EXPRESS", "FINANCE", "DEVICE_REMINDER", "MAIL", "PLAY_VOICE", "MARKETING");
    private static final Set<String> IMPORTANCES = Set.of("LOW", "NORMAL", "HIGH");

    private final String appId;
    private final String appSecret;
    private final AtomicReference<String> lastBody = new AtomicReference<>();

    private MockHuawei(Clock clock, String appId, String appSecret) {
        super(CHANNEL, clock);
        this.appId = appId;
        this.appSecret = appSecret;
        route("/oauth2/v3/token", this::token);
        route("/v1/", this::send);
    }

    /** A started mock for one app. */
    public static MockHuawei start(Clock clock, String appId, String appSecret) {
        MockHuawei mock = new MockHuawei(clock, appId, appSecret);
        mock.start();
        return mock;
    }

    /** Where {@code IMPUSH_HUAWEI_TOKEN_URL} points. */
    public URI tokenUrl() {
        return URI.create(baseUrl() + "/oauth2/v3/token");
    }

    /** The last send request body that passed authentication. */
    public String lastRequestBody() {
        return lastBody.get();
    }

    /** Push Kit's answer shape, for {@link #failNext}: e.g. {@code result(200, "81000001", "internal error")}. */
    public static Reply result(int status, String code, String msg) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("msg", msg);
        body.put("requestId", Long.toString(System.nanoTime()));
        return Reply.json(status, body);
    }

    /** HTTP 503: Push Kit's flow control. */
    public static Reply flowControl() {
        return new Reply(503, "", Map.of());
    }

    private Reply token(Request r) {
        return clientCredentialsToken(r, appId, appSecret,
                Reply.json(400, Map.of("error", 1102, "error_description", "unsupported grant type")),
                Reply.json(400, Map.of("error", 1101, "sub_error", 20158,
                        "error_description", "invalid client_id or client_secret")));
    }

    private Reply send(Request r) {
        String bearer = bearer(r);
        if (!authValid(bearer)) {
            count("rejected.auth");
            return authIssued(bearer) ? result(401, "80200003", "OAuth token expired.")
                    : result(401, "80200001", "Oauth authentication error.");
        }
        if (!r.path().equals("/v1/" + appId + "/messages:send")) {
            return result(403, "80300002", "The current app does not have the permission to send messages.");
        }
        lastBody.set(r.body());
        Reply scripted = scriptedFailure();
        if (scripted != null) {
            return scripted;
        }
        if (r.body().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return result(400, "80300008", "The message body size exceeds the default value.");
        }
        JsonNode message = r.json().path("message");
        String problem = problem(message);
        if (problem != null) {
            count("rejected.structure");
            return result(400, "80100003", "Incorrect message structure: " + problem);
        }
        String messageId = jsonField(message.path("data").asText(""), "messageId");
        JsonNode notifyId = message.path("android").path("notification").path("notify_id");
        List<String> illegal = new ArrayList<>();
        int accepted = 0;
        for (JsonNode t : message.path("token")) {
            String device = liveDevice(t.asText());
            if (device == null) {
                illegal.add(t.asText());
                continue;
            }
            accepted++;
            accepted(messageId, device, notifyId.isMissingNode() ? null : notifyId.asText(), message.toString());
        }
        if (accepted == 0) {
            count("rejected.token");
            return result(400, "80300007", "All the tokens are invalid.");
        }
        if (!illegal.isEmpty()) {
            Map<String, Object> partial = new LinkedHashMap<>();
            partial.put("success", accepted);
            partial.put("failure", illegal.size());
            partial.put("illegal_tokens", illegal);
            return result(200, "80100000", new String(Json.write(partial), StandardCharsets.UTF_8));
        }
        if ("IM".equals(message.path("android").path("category").asText())) {
            count("class.IM");
        }
        return result(200, "80000000", "Success");
    }

    /** What Push Kit would call an incorrect structure, or {@code null}. */
    private static String problem(JsonNode message) {
        if (!message.isObject()) {
            return "message missing";
        }
        JsonNode tokens = message.path("token");
        if (!(tokens instanceof ArrayNode a) || a.isEmpty() || a.size() > 1000) {
            return "token must hold 1-1000 tokens";
        }
        JsonNode android = message.path("android");
        String category = android.path("category").asText("");
        if (!category.isEmpty() && !CATEGORIES.contains(category)) {
            return "unknown android.category " + category;
        }
        if (android.has("ttl") && !android.path("ttl").asText().matches("\\d+(\\.\\d+)?s")) {
            return "android.ttl must be like 86400s";
        }
        if (android.has("urgency") && !Set.of("HIGH", "NORMAL").contains(android.path("urgency").asText())) {
            return "android.urgency must be HIGH or NORMAL";
        }
        JsonNode n = android.path("notification");
        if (n.isMissingNode()) {
            return message.has("data") ? null : "neither notification nor data";
        }
        if (n.path("title").asText("").isEmpty() || !n.has("body")) {
            return "android.notification needs title and body";
        }
        if (n.has("importance") && !IMPORTANCES.contains(n.path("importance").asText())) {
            return "unknown importance " + n.path("importance").asText();
        }
        if (n.has("notify_id") && !n.path("notify_id").isInt()) {
            return "notify_id must be an int";
        }
        int type = n.path("click_action").path("type").asInt(0);
        if (type < 1 || type > 3) {
            return "click_action.type must be 1, 2 or 3";
        }
        JsonNode click = n.path("click_action");
        if (type == 1 && click.path("intent").asText("").isBlank() && click.path("action").asText("").isBlank()) {
            return "click_action.type 1 needs intent or action";
        }
        if (type == 2 && click.path("url").asText("").isBlank()) {
            return "click_action.type 2 needs url";
        }
        return null;
    }

}
