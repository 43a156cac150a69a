package dev.impush.localstack.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.MockNetwork;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local FCM HTTP v1 endpoint: {@code POST /v1/projects/{project}/messages:send}, checked the way
 * FCM checks it and answered with FCM's real error bodies, and Google's token endpoint for service
 * accounts ({@link #serviceAccountFile}: a key file whose signed JWTs it exchanges for access tokens).
 *
 * <p>Checks, in FCM's order: bearer token (the {@linkplain #accessToken static one}, or one the token
 * endpoint issued and that has not expired; else 401 UNAUTHENTICATED), path and project (404, or 403
 * PERMISSION_DENIED for a project the server does not hold or the token's account is not of),
 * injected failures ({@link #failNext}), body and target (400 INVALID_ARGUMENT), registered token
 * (404 UNREGISTERED; 403 SENDER_ID_MISMATCH for a token of another project), size ≤ 4096 bytes (400).
 * One server holds several projects ({@link #addProject}), as FCM does, each with its own service
 * accounts and registered tokens. An accepted
 * message is recorded in the {@link DeliveryLedger} as {@code ("fcm", data.messageId, deviceId,
 * android.collapse_key)}.
 *
 * <p>Thread-safe; requests are handled on virtual threads. Lifecycle: {@link #start} binds an
 * ephemeral port on 127.0.0.1, {@link #close()} stops at once.
 */
public final class MockFcmServer implements AutoCloseable {
    public static final String CHANNEL = "fcm";
    /** FCM's limit on a message. */
    public static final int MAX_MESSAGE_BYTES = 4096;

    private static final Pattern SEND_PATH = Pattern.compile("^/v1/projects/([^/]+)/messages:send$");
    private static final String FCM_ERROR_TYPE = "type.googleapis.com/google.firebase.fcm.v1.FcmError";

    static {
        // com.sun.net.httpserver keeps only 200 idle connections by default and reads this once,
        // when the class loads: under a 200+ concurrent burst, clients would keep reconnecting
        if (System.getProperty("sun.net.httpserver.maxIdleConnections") == null) {
            System.setProperty("sun.net.httpserver.maxIdleConnections", "2048");
        }
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A registered FCM token: whose device, and of which project's app. */
    private record Registration(String deviceId, String projectId) {}

    /** A scripted failure for the next requests that pass authentication. */
    private record Failure(int status, String errorCode, Duration retryAfter) {}

    private final String projectId;
    private final String accessToken;
    private final DeliveryLedger ledger;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<String> projects = ConcurrentHashMap.newKeySet();
    private final Map<String, Registration> deviceByToken = new ConcurrentHashMap<>();
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private volatile java.time.Instant outageUntil;
    private final AtomicLong sendRequests = new AtomicLong();
    private final AtomicLong failuresLeft = new AtomicLong();
    private final AtomicReference<String> lastBody = new AtomicReference<>();
    private final AtomicLong requests = new AtomicLong();
    private final GoogleTokenEndpoint tokens;
    private final Path keyDir;

    private MockFcmServer(String projectId, String accessToken, DeliveryLedger ledger) throws IOException {
        this.projectId = projectId;
        projects.add(projectId);
        this.accessToken = accessToken;
        this.ledger = ledger;
        this.server = HttpServer.create(MockNetwork.bindAddress(), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
        this.tokens = new GoogleTokenEndpoint(URI.create(baseUrl() + GoogleTokenEndpoint.PATH), java.time.Clock.systemUTC());
        this.keyDir = Files.createTempDirectory("impush-mock-fcm");
    }

    /** Starts on an ephemeral loopback port. */
    public static MockFcmServer start(String projectId, String accessToken, DeliveryLedger ledger) {
        try {
            return new MockFcmServer(projectId, accessToken, ledger);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the FCM mock", e);
        }
    }

    /** Starts with project {@code impush-local}, a random access token and a new ledger. */
    public static MockFcmServer start() {
        return start("impush-local", "mock-fcm-" + UUID.randomUUID(), new DeliveryLedger());
    }

    public URI baseUrl() {
        return MockNetwork.http(server.getAddress().getPort());
    }

    public String projectId() {
        return projectId;
    }

    public String accessToken() {
        return accessToken;
    }

    public DeliveryLedger ledger() {
        return ledger;
    }

    /**
     * A new service-account key file of this project ({@code token_uri} = this server's token
     * endpoint), as Firebase's console hands it out: the worker signs JWTs with its private key and
     * exchanges them here for access tokens, which the send endpoint then accepts.
     */
    public Path serviceAccountFile() {
        return serviceAccountFile(projectId);
    }

    /** As {@link #serviceAccountFile()}, of another project this server holds ({@link #addProject}). */
    public Path serviceAccountFile(String project) {
        if (!projects.contains(project)) {
            throw new IllegalArgumentException("no project " + project + " on this mock: addProject first");
        }
        return tokens.newServiceAccount(keyDir, "impush-sender-" + UUID.randomUUID().toString().substring(0, 8)
                + "@" + project + ".iam.gserviceaccount.com", project);
    }

    /** One more Firebase project on this server (another app's), with its own accounts and tokens. */
    public void addProject(String project) {
        projects.add(project);
    }

    /** Where the token endpoint listens. */
    public URI tokenUrl() {
        return tokens.url();
    }

    /** Requests to the token endpoint, accepted or not. */
    public long tokenRequests() {
        return tokens.requests();
    }

    /** Access tokens issued from now on live this long (Google: just under an hour). */
    public void issuedTokenLifetime(Duration lifetime) {
        tokens.tokenLifetime(lifetime);
    }

    /** Every access token issued so far is expired from now on: sends with it get 401. */
    public void expireIssuedTokens() {
        tokens.expireIssuedTokens();
    }

    /** Makes {@code token} a registered FCM token of {@code deviceId}, in the first project. */
    public void registerDevice(String deviceId, String token) {
        registerDevice(deviceId, token, projectId);
    }

    /** Makes {@code token} a registered FCM token of {@code deviceId}, of an app in {@code project}. */
    public void registerDevice(String deviceId, String token, String project) {
        deviceByToken.put(token, new Registration(deviceId, project));
        expired.remove(token);
    }

    /** From now on FCM answers 404 UNREGISTERED for this token (the app was uninstalled). */
    public void expireToken(String token) {
        expired.add(token);
    }

    /**
     * The next {@code count} authenticated requests fail with this status and FCM error code
     * ({@code QUOTA_EXCEEDED} 429, {@code INTERNAL} 500, {@code UNAVAILABLE} 503 ...).
     *
     * @param retryAfter sent as {@code Retry-After} (whole seconds), or {@code null} for none
     */
    public void failNext(int count, int httpStatus, String fcmErrorCode, Duration retryAfter) {
        failure.set(new Failure(httpStatus, fcmErrorCode, retryAfter));
        failuresLeft.set(count);
    }

    /**
     * Every authenticated request fails with this status and FCM error code until {@code until}
     * (a vendor outage), however many there are.
     */
    public void failUntil(java.time.Instant until, int httpStatus, String fcmErrorCode) {
        failUntil(until, httpStatus, fcmErrorCode, null);
    }

    /** As {@link #failUntil(java.time.Instant, int, String)}, each answer with {@code Retry-After} (whole seconds) when given. */
    public void failUntil(java.time.Instant until, int httpStatus, String fcmErrorCode, Duration retryAfter) {
        failure.set(new Failure(httpStatus, fcmErrorCode, retryAfter));
        outageUntil = until;
    }

    /** Requests that reached the send endpoint (accepted or not). */
    public long sendRequests() {
        return sendRequests.get();
    }

    /** Rejections by FCM error code (or Google status when FCM gives none), e.g. {@code UNREGISTERED}. */
    public long rejected(String errorCode) {
        AtomicLong n = rejected.get(errorCode);
        return n == null ? 0 : n.get();
    }

    public Map<String, Long> rejectedCounts() {
        Map<String, Long> copy = new java.util.TreeMap<>();
        rejected.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    /** Every request received, accepted or not. */
    public long requests() {
        return requests.get();
    }

    /** The raw body of the last request that got past authentication, for tests to inspect. */
    public Optional<String> lastRequestBody() {
        return Optional.ofNullable(lastBody.get());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try (var files = Files.list(keyDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(keyDir);
        } catch (IOException ignored) {
            // temp files only
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (GoogleTokenEndpoint.PATH.equals(exchange.getRequestURI().getRawPath())) {
                GoogleTokenEndpoint.Answer answer = tokens.handle(exchange.getRequestMethod(),
                        new String(body, StandardCharsets.UTF_8));
                respond(exchange, answer.status(), answer.json());
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring("Bearer ".length()) : "";
            Optional<String> caller = bearer.equals(accessToken) ? Optional.of(projectId) : tokens.projectOf(bearer);
            if (caller.isEmpty()) {
                exchange.getResponseHeaders().add("WWW-Authenticate",
                        "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
                error(exchange, 401, "UNAUTHENTICATED", null, "Request had invalid authentication credentials. "
                        + "Expected OAuth 2 access token, login cookie or other valid authentication credential. "
                        + "See https://developers.google.com/identity/sign-in/web/devconsole-project.");
                return;
            }
            Matcher m = SEND_PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !m.matches()) {
                error(exchange, 404, "NOT_FOUND", null, "Requested entity was not found.");
                return;
            }
            String project = m.group(1);
            if (!projects.contains(project) || !project.equals(caller.get())) {
                error(exchange, 403, "PERMISSION_DENIED", null, "Permission 'cloudmessaging.messages.create' "
                        + "denied on resource '//cloudresourcemanager.googleapis.com/projects/" + m.group(1)
                        + "' (or it may not exist).");
                return;
            }
            lastBody.set(new String(body, StandardCharsets.UTF_8));
            sendRequests.incrementAndGet();
            Failure f = failure.get();
            java.time.Instant outage = outageUntil;
            boolean down = outage != null && java.time.Instant.now().isBefore(outage);
            if (f != null && (down || failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0)) {
                if (f.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", Long.toString(f.retryAfter().toSeconds()));
                }
                error(exchange, f.status(), statusFor(f.status()), f.errorCode(), switch (f.status()) {
                    case 429 -> "Quota exceeded for quota metric 'Send requests' of service 'fcm.googleapis.com'.";
                    case 503 -> "The service is currently unavailable.";
                    default -> "Internal error encountered.";
                });
                return;
            }
            validateAndAccept(exchange, body, project);
        }
    }

    private void validateAndAccept(HttpExchange exchange, byte[] body, String project) throws IOException {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body);
        } catch (IOException e) {
            invalid(exchange, "Invalid JSON payload received.");
            return;
        }
        JsonNode message = root == null ? null : root.get("message");
        if (message == null || !message.isObject()) {
            invalid(exchange, "Request contains an invalid argument.");
            return;
        }
        int targets = (message.hasNonNull("token") ? 1 : 0) + (message.hasNonNull("topic") ? 1 : 0)
                + (message.hasNonNull("condition") ? 1 : 0);
        if (targets != 1) {
            invalid(exchange, "Exactly one of token, topic or condition must be specified.");
            return;
        }
        String token = message.path("token").asText(null);
        if (token == null) {
            invalid(exchange, "Only token targets are supported by this mock.");
            return;
        }
        Registration registered = deviceByToken.get(token);
        if (registered == null || expired.contains(token)) {
            error(exchange, 404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.");
            return;
        }
        if (!registered.projectId().equals(project)) {
            error(exchange, 403, "PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch");
            return;
        }
        String deviceId = registered.deviceId();
        if (size(message) > MAX_MESSAGE_BYTES) {
            invalid(exchange, "Android message is too big");
            return;
        }
        if (root.path("validate_only").asBoolean(false)) {
            respond(exchange, 200, "{\"name\":\"projects/" + project + "/messages/fake_message_id\"}");
            return;
        }
        String collapseKey = message.path("android").path("collapse_key").asText(null);
        String messageId = message.path("data").path("messageId").asText(null);
        if (ledger.keepsPayloads()) { // before the count: a test that saw the request reads its payload
            ledger.payload(messageId, deviceId, message.toString());
        }
        ledger.accepted(CHANNEL, messageId, deviceId, collapseKey);
        respond(exchange, 200, "{\"name\":\"projects/" + project + "/messages/" + UUID.randomUUID() + "\"}");
    }

    /**
     * UTF-8 bytes of the message as compact JSON. Through a String on purpose: Jackson's byte
     * generator escapes an emoji as two {@code \\uXXXX} (12 bytes), the SDK sends its 4 UTF-8 bytes.
     */
    public static int size(JsonNode message) {
        try {
            return Json.mapper().writeValueAsString(message).getBytes(StandardCharsets.UTF_8).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void invalid(HttpExchange exchange, String why) throws IOException {
        error(exchange, 400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", why);
    }

    /** Google's error body; FCM adds an FcmError detail with its own code when it has one. */
    private void error(HttpExchange exchange, int status, String googleStatus, String fcmErrorCode, String message)
            throws IOException {
        rejected.computeIfAbsent(fcmErrorCode == null ? googleStatus : fcmErrorCode, k -> new AtomicLong())
                .incrementAndGet();
        ObjectNode error = Json.mapper().createObjectNode();
        ObjectNode inner = error.putObject("error");
        inner.put("code", status).put("message", message).put("status", googleStatus);
        if (fcmErrorCode != null) {
            inner.putArray("details").addObject().put("@type", FCM_ERROR_TYPE).put("errorCode", fcmErrorCode);
        }
        respond(exchange, status, error.toString());
    }

    private static String statusFor(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        };
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
