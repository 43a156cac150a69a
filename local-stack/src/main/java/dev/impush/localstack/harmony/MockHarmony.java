package dev.impush.localstack.harmony;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.huawei.MockHuawei;
import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local Push Kit for HarmonyOS NEXT: {@code POST /v3/{projectId}/messages:send}, checked the way
 * Huawei's reference says Push Kit checks it and answered in its shape ({@code {code, msg, requestId}},
 * {@code code} a string). It holds one project and its service account ({@link #serviceAccountJson}:
 * an RSA key it generated), and verifies each request's JWT with the account's public key.
 *
 * <p>Checks, in order: the bearer JWT (header {@code alg PS256}, {@code typ JWT}, {@code kid} the
 * account's key id; a PS256 signature by that key; {@code iss} the sub account, {@code aud} the token
 * URI; else 401 80200001), its lifetime ({@code exp - iat} over a day 80300036; expired, or
 * {@linkplain #expireAuthTokens expired here}, 401 80200005); the project in the path (403 80300002);
 * scripted failures ({@link #failNext}); the {@code push-type} header and a body that fits it (400
 * 80100003: 0 needs {@code payload.notification} with a known category, title, body, a
 * {@code clickAction} whose {@code actionType} 1 names an action or uri, an int {@code notifyId},
 * {@code badge} in range; 6 and 10 need {@code payload.extraData} as a string); the size, tokens not
 * counted (80300008); 1-1000 tokens (80300010); {@code pushOptions.ttl} 1-1,296,000 (80100004); the
 * project's right to the push type ({@link #revokeRight}: every token refused {@code noPushTypeRight},
 * 80300007); the tokens (unknown or expired ones {@code tokenFormatError}: all 80300007, some 80100000
 * with {@code illegalTokens} in {@code msg}).
 *
 * <p>Each accepted token is recorded as {@code ("harmony", messageId, deviceId, what it shows as)} with
 * the request body; counted: {@code auth} (each new JWT), {@code pushType.<n>}, {@code class.IM}.
 * Thread-safe. Lifecycle: {@link #start} binds 127.0.0.1 on an ephemeral port; {@link #close()}.
 */
public final class MockHarmony extends MockVendorServer {
    public static final String CHANNEL = "harmony";
    public static final String TOKEN_URI = "https://oauth-login.cloud.huawei.com/oauth2/v3/token";
    public static final int MAX_BYTES = 4096;
    private static final Set<String> CATEGORIES = Set.of("IM", "VOIP", "MISS_CALL", "SUBSCRIPTION", "TRAVEL", "HEALTH",
            "WORK", "ACCOUNT", "EXPRESS", "FINANCE", "DEVICE_REMINDER", "MAIL", "PLAY_VOICE", "MARKETING");
    private static final Set<Integer> PUSH_TYPES = Set.of(0, 1, 2, 6, 7, 10, 11);
    private static final long MAX_TTL_S = 1_296_000;
    private static final Duration MAX_JWT_LIFETIME = Duration.ofDays(1);
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private final String projectId;
    private final String keyId = UUID.randomUUID().toString().replace("-", "");
    private final String subAccount = Long.toString(1_000_000_000L + (System.nanoTime() & 0xFFFFFFFL));
    private final KeyPair account;
    private final Set<Integer> rights = ConcurrentHashMap.newKeySet();
    /** Each JWT seen, and whether it was expired here. */
    private final Map<String, Boolean> jwts = new ConcurrentHashMap<>();

    private MockHarmony(Clock clock, String projectId) {
        super(CHANNEL, clock);
        this.projectId = projectId;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.account = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        rights.addAll(Set.of(0, 2, 6, 10));
        route("/v3/", this::send);
    }

    /** A started mock for one project, its service account allowed push types 0, 2, 6 and 10. */
    public static MockHarmony start(Clock clock, String projectId) {
        MockHarmony mock = new MockHarmony(clock, projectId);
        mock.start();
        return mock;
    }

    public String projectId() {
        return projectId;
    }

    /** The service account's key file, as AGC's API console hands it out. */
    public String serviceAccountJson() {
        return serviceAccountJson(account);
    }

    /** A key file with the same ids and another key: its JWTs fail the signature check. */
    public String forgedServiceAccountJson() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return serviceAccountJson(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@link #serviceAccountJson} in a temporary file (deleted on exit). */
    public Path serviceAccountFile() {
        try {
            Path file = Files.createTempFile("harmony-service-account-", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, serviceAccountJson());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String serviceAccountJson(KeyPair keys) {
        Map<String, String> json = new LinkedHashMap<>();
        json.put("project_id", projectId);
        json.put("key_id", keyId);
        json.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        json.put("sub_account", subAccount);
        json.put("auth_uri", "https://oauth-login.cloud.huawei.com/oauth2/v3/authorize");
        json.put("token_uri", TOKEN_URI);
        json.put("auth_provider_cert_uri", "https://oauth-login.cloud.huawei.com/oauth2/v3/certs");
        json.put("client_cert_uri", "https://oauth-login.cloud.huawei.com/oauth2/v3/x509?client_id=" + subAccount);
        return new String(Json.write(json), StandardCharsets.UTF_8);
    }

    /** The project loses the right to {@code pushType} (e.g. 10, VoIP calls): its pushes are refused per token. */
    public void revokeRight(int pushType) {
        rights.remove(pushType);
    }

    public void grantRight(int pushType) {
        rights.add(pushType);
    }

    /** Every JWT seen so far is answered 80200005 from now on; a newly signed one passes. */
    @Override
    public void expireAuthTokens() {
        jwts.replaceAll((jwt, expired) -> true);
    }

    /** Push Kit's answer shape (the same as HMS Push Kit's), for {@link #failNext}: e.g. {@code result(500, "81000001", "Inner Error.")}. */
    public static Reply result(int status, String code, String msg) {
        return MockHuawei.result(status, code, msg);
    }

    /** HTTP 503: Push Kit's flow control. */
    public static Reply flowControl() {
        return MockHuawei.flowControl();
    }

    private Reply send(Request r) {
        Reply denied = authenticate(bearer(r));
        if (denied != null) {
            count("rejected.auth");
            return denied;
        }
        if (!r.path().equals("/v3/" + projectId + "/messages:send")) {
            return result(403, "80300002", "No permission to send message to these tmIDs.");
        }
        Reply scripted = scriptedFailure();
        if (scripted != null) {
            return scripted;
        }
        JsonNode body = r.json();
        int pushType;
        try {
            pushType = Integer.parseInt(String.valueOf(r.header("push-type")).trim());
        } catch (NumberFormatException e) {
            pushType = -1;
        }
        if (!PUSH_TYPES.contains(pushType)) {
            return illegal("push-type header is missing or invalid");
        }
        String problem = problem(pushType, body);
        if (problem != null) {
            return illegal(problem);
        }
        int tokenChars = 0;
        for (JsonNode t : body.path("target").path("token")) {
            tokenChars += t.asText().length() + 3;
        }
        if (r.body().getBytes(StandardCharsets.UTF_8).length - tokenChars > MAX_BYTES) {
            return result(400, "80300008", "Push message size is too long.");
        }
        int tokens = body.path("target").path("token").size();
        if (tokens < 1 || tokens > (pushType == 1 ? 1 : 1000)) {
            return result(400, "80300010", "token count should within 1 and " + (pushType == 1 ? 1 : 1000) + ".");
        }
        JsonNode ttl = body.path("pushOptions").path("ttl");
        if (!ttl.isMissingNode() && (!ttl.canConvertToLong() || !ttl.isIntegralNumber() || ttl.asLong() < 1
                || ttl.asLong() > MAX_TTL_S)) {
            return result(400, "80100004", "Illegal expire time.");
        }
        count("pushType." + pushType);
        return deliver(pushType, body);
    }

    private Reply deliver(int pushType, JsonNode body) {
        Map<String, List<String>> illegal = new LinkedHashMap<>();
        int accepted = 0;
        JsonNode notification = body.path("payload").path("notification");
        for (JsonNode t : body.path("target").path("token")) {
            String device = liveDevice(t.asText());
            String refused = !rights.contains(pushType) ? "noPushTypeRight" : device == null ? "tokenFormatError" : null;
            if (refused != null) {
                illegal.computeIfAbsent(refused, k -> new ArrayList<>()).add(t.asText());
                continue;
            }
            accepted++;
            accepted(messageId(pushType, body), device, shownAs(pushType, body), body.toString());
        }
        if (!illegal.isEmpty()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("illegalTokens", illegal);
            detail.put("success", accepted);
            detail.put("failure", body.path("target").path("token").size() - accepted);
            String msg = new String(Json.write(detail), StandardCharsets.UTF_8);
            count(accepted == 0 ? "rejected.token" : "partial");
            return accepted == 0 ? result(400, "80300007", msg) : result(200, "80100000", msg);
        }
        if ("IM".equals(notification.path("category").asText())) {
            count("class.IM");
        }
        return result(200, "80000000", "Success.");
    }

    /** The JWT's fault, or {@code null} when it is one the account signed, for this mock, and live. */
    private Reply authenticate(String jwt) {
        Reply error = result(401, "80200001", "Authentication Error.");
        String[] parts = jwt == null ? new String[0] : jwt.split("\\.", -1);
        if (parts.length != 3) {
            return error;
        }
        JsonNode header;
        JsonNode claims;
        try {
            header = Json.mapper().readTree(B64URL.decode(parts[0]));
            claims = Json.mapper().readTree(B64URL.decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return error;
        }
        if (!"PS256".equals(header.path("alg").asText()) || !"JWT".equals(header.path("typ").asText())
                || !keyId.equals(header.path("kid").asText())
                || !verifies(account.getPublic(), parts[0] + "." + parts[1], parts[2])
                || !subAccount.equals(claims.path("iss").asText()) || !TOKEN_URI.equals(claims.path("aud").asText())
                || !claims.path("iat").canConvertToLong() || !claims.path("exp").canConvertToLong()) {
            return error;
        }
        long iat = claims.path("iat").asLong();
        long exp = claims.path("exp").asLong();
        if (exp - iat > MAX_JWT_LIFETIME.toSeconds()) {
            return result(401, "80300036", "JWT expire period over threshold.");
        }
        if (jwts.putIfAbsent(jwt, false) == null) {
            count("auth");
        }
        if (jwts.get(jwt) || clock.instant().getEpochSecond() >= exp) {
            return result(401, "80200005", "Jwt token expired.");
        }
        return null;
    }

    private static boolean verifies(PublicKey key, String signingInput, String signature) {
        try {
            Signature ps256 = Signature.getInstance("RSASSA-PSS");
            ps256.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
            ps256.initVerify(key);
            ps256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return ps256.verify(B64URL.decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** What Push Kit would call an illegal payload for {@code pushType}, or {@code null}. */
    private static String problem(int pushType, JsonNode body) {
        JsonNode payload = body.path("payload");
        if (!payload.isObject()) {
            return "payload is required";
        }
        if (!body.path("target").path("token").isArray()) {
            return "target.token is required";
        }
        return switch (pushType) {
            case 0 -> notificationProblem(payload.path("notification"));
            case 6, 10 -> payload.path("extraData").isTextual() ? null
                    : "push-type " + pushType + " needs payload.extraData as a string";
            default -> "push-type " + pushType + " is not served by this mock";
        };
    }

    private static String notificationProblem(JsonNode n) {
        if (!n.isObject()) {
            return "push-type 0 needs payload.notification";
        }
        if (!CATEGORIES.contains(n.path("category").asText())) {
            return "category is invalid";
        }
        if (n.path("title").asText("").isEmpty() || n.path("body").asText("").isEmpty()) {
            return "title and body are required";
        }
        JsonNode click = n.path("clickAction");
        int type = click.path("actionType").asInt(-1);
        if (!click.isObject() || (type != 0 && type != 1)) {
            return "clickAction.actionType must be 0 or 1";
        }
        if (type == 1 && click.path("action").asText("").isBlank() && click.path("uri").asText("").isBlank()) {
            return "clickAction with actionType 1 needs action or uri";
        }
        if (click.has("data") && !click.path("data").isObject()) {
            return "clickAction.data must be a JSON object";
        }
        if (n.has("notifyId") && (!n.path("notifyId").isInt() || n.path("notifyId").asInt() < -1)) {
            return "notifyId must be an int in [0, 2147483647]";
        }
        JsonNode badge = n.path("badge");
        if (badge.has("addNum") && (badge.path("addNum").asInt(0) < 1 || badge.path("addNum").asInt(0) > 99)) {
            return "badge addNum value ranges from 1 to 99";
        }
        if (badge.has("setNum") && (badge.path("setNum").asInt(-1) < 0 || badge.path("setNum").asInt(-1) > 99)) {
            return "badge setNum value ranges from 0 to 99";
        }
        return null;
    }

    /**
     * What the phone shows it as, for the ledger's tray: a notification by its {@code notifyId} (the same
     * id replaces it); a VoIP call push by its call (the app's call screen: a cancel turns the ringing
     * call into a missed one); a background message as nothing of its own ({@code null}).
     */
    private static String shownAs(int pushType, JsonNode body) {
        JsonNode payload = body.path("payload");
        return switch (pushType) {
            case 0 -> payload.path("notification").path("notifyId").asText(null);
            case 10 -> "call:" + jsonField(payload.path("extraData").asText(""), "callId");
            default -> null;
        };
    }

    /** The message id a push carries: in {@code clickAction.data} (0) or in {@code extraData} (6, 10). */
    private static String messageId(int pushType, JsonNode body) {
        JsonNode payload = body.path("payload");
        return pushType == 0 ? payload.path("notification").path("clickAction").path("data").path("messageId").asText(null)
                : jsonField(payload.path("extraData").asText(""), "messageId");
    }

    private static Reply illegal(String tips) {
        return result(400, "80100003", "Illegal payload, " + tips);
    }
}
