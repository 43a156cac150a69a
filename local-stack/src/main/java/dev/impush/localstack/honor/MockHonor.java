package dev.impush.localstack.honor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.impush.localstack.vendor.MockVendorServer;
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
 * A local Honor push service: the token endpoint ({@code POST /auth/token}) and
 * {@code POST /api/v1/{appId}/sendMessage}, answered as {@code {code, message, data}}. Honor's API
 * is mostly [U] (vendor-apis.md); this mock follows the reference and Huawei's codes, from which
 * Honor's descend.
 *
 * <p>Token endpoint: {@code grant_type=client_credentials}, the client id and secret, else HTTP 401
 * {@code {"error":"invalid_client"}}. Send, in order: bearer token (unknown 401 80200001, expired
 * 401 80200003), app id in the path (403 80300002), {@code timestamp} header within ±10 min
 * (400 80100001), scripted failures ({@link #failNext}), body ≤ 4096 bytes (80300008), structure
 * (80100003: 1–1000 tokens, title and body, importance NORMAL or LOW, int notifyId, clickAction type
 * 1–3, ttl {@code "<n>s"}), tokens (all invalid 80300007; some: 200 with {@code data.failTokens}).
 * Accepted tokens are recorded as {@code ("honor", data.messageId, deviceId, notifyId)};
 * importance NORMAL is counted as {@code class.NORMAL}.
 *
 * <p>Thread-safe. Lifecycle: {@link #start} binds 127.0.0.1 on an ephemeral port; {@link #close()}.
 */
public final class MockHonor extends MockVendorServer {
    public static final String CHANNEL = "honor";
    public static final int MAX_BYTES = 4096;
    private static final Set<String> IMPORTANCES = Set.of("LOW", "NORMAL");

    private final String appId;
    private final String clientId;
    private final String clientSecret;
    private final AtomicReference<String> lastBody = new AtomicReference<>();

    private MockHonor(Clock clock, String appId, String clientId, String clientSecret) {
        super(CHANNEL, clock);
        this.appId = appId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        route("/auth/token", this::token);
        route("/api/v1/", this::send);
    }

    public static MockHonor start(Clock clock, String appId, String clientId, String clientSecret) {
        MockHonor mock = new MockHonor(clock, appId, clientId, clientSecret);
        mock.start();
        return mock;
    }

    /** Where {@code IMPUSH_HONOR_TOKEN_URL} points. */
    public URI tokenUrl() {
        return URI.create(baseUrl() + "/auth/token");
    }

    public String lastRequestBody() {
        return lastBody.get();
    }

    /** Honor's answer shape, for {@link #failNext}. */
    public static Reply result(int status, int code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("data", Map.of("requestId", Long.toString(System.nanoTime())));
        return Reply.json(status, body);
    }

    /** HTTP 503: flow control. */
    public static Reply flowControl() {
        return new Reply(503, "", Map.of());
    }

    private Reply token(Request r) {
        return clientCredentialsToken(r, clientId, clientSecret,
                Reply.json(400, Map.of("error", "unsupported_grant_type", "error_description", "grant_type")),
                Reply.json(401, Map.of("error", "invalid_client", "error_description", "client authentication failed")));
    }

    private Reply send(Request r) {
        String bearer = bearer(r);
        if (!authValid(bearer)) {
            count("rejected.auth");
            return authIssued(bearer) ? result(401, 80200003, "access token expired")
                    : result(401, 80200001, "authentication failed");
        }
        if (!r.path().equals("/api/v1/" + appId + "/sendMessage")) {
            return result(403, 80300002, "no permission to send messages for this app");
        }
        if (!timestampValid(r.header("timestamp"))) {
            count("rejected.timestamp");
            return result(400, 80100001, "timestamp missing or out of range");
        }
        lastBody.set(r.body());
        Reply scripted = scriptedFailure();
        if (scripted != null) {
            return scripted;
        }
        if (r.body().getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return result(400, 80300008, "message body too large");
        }
        JsonNode message = r.json();
        String problem = problem(message);
        if (problem != null) {
            count("rejected.structure");
            return result(400, 80100003, "incorrect message structure: " + problem);
        }
        String messageId = jsonField(message.path("data").asText(""), "messageId");
        JsonNode n = message.path("android").path("notification");
        JsonNode notifyId = n.path("notifyId");
        List<String> failed = new ArrayList<>();
        int accepted = 0;
        for (JsonNode t : message.path("token")) {
            String device = liveDevice(t.asText());
            if (device == null) {
                failed.add(t.asText());
                continue;
            }
            accepted++;
            accepted(messageId, device, notifyId.isMissingNode() ? null : notifyId.asText(), message.toString());
        }
        if (accepted == 0) {
            count("rejected.token");
            return result(400, 80300007, "all tokens are invalid");
        }
        if ("NORMAL".equals(n.path("importance").asText())) {
            count("class.NORMAL");
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("sendResult", true);
        data.put("requestId", Long.toString(System.nanoTime()));
        if (!failed.isEmpty()) {
            data.put("failTokens", failed);
        }
        return Reply.json(200, Map.of("code", 200, "message", "success", "data", data));
    }

    private boolean timestampValid(String header) {
        try {
            return timestampFresh(Long.parseLong(header));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String problem(JsonNode message) {
        JsonNode tokens = message.path("token");
        if (!(tokens instanceof ArrayNode a) || a.isEmpty() || a.size() > 1000) {
            return "token must hold 1-1000 tokens";
        }
        JsonNode android = message.path("android");
        if (android.has("ttl") && !android.path("ttl").asText().matches("\\d+(\\.\\d+)?s")) {
            return "android.ttl must be like 86400s";
        }
        JsonNode n = android.path("notification");
        if (n.isMissingNode()) {
            return message.has("data") ? null : "neither notification nor data";
        }
        if (n.path("title").asText("").isEmpty() || !n.has("body")) {
            return "android.notification needs title and body";
        }
        if (n.has("importance") && !IMPORTANCES.contains(n.path("importance").asText())) {
            return "importance must be NORMAL or LOW";
        }
        if (n.has("notifyId") && !n.path("notifyId").isInt()) {
            return "notifyId must be an int";
        }
        int type = n.path("clickAction").path("type").asInt(0);
        if (type < 1 || type > 3) {
            return "clickAction.type must be 1, 2 or 3";
        }
        JsonNode click = n.path("clickAction");
        if (type == 1 && click.path("intent").asText("").isBlank() && click.path("action").asText("").isBlank()) {
            return "clickAction.type 1 needs intent or action";
        }
        if (type == 2 && click.path("url").asText("").isBlank()) {
            return "clickAction.type 2 needs url";
        }
        return null;
    }

}
