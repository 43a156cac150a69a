package dev.impush.localstack.vendor;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.MockNetwork;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every mock vendor needs: an HTTP server on loopback, registered device tokens, auth
 * tokens it issued with a (short, in tests) lifetime, scripted failures, counters and the
 * {@link DeliveryLedger}. A vendor mock subclasses it, routes its paths and checks what the real
 * vendor checks. Thread-safe.
 */
public abstract class MockVendorServer implements AutoCloseable {
    /** Calls receipts back, for every mock. */
    private static final HttpClient CALLBACKS = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** How far a signed request's timestamp may be from the vendor's clock (vivo, OPPO, Honor: ±10 min). */
    public static final Duration TIMESTAMP_WINDOW = Duration.ofMinutes(10);

    /** Answers one request: status and body (JSON text). */
    public record Reply(int status, String body, Map<String, String> headers) {
        public static Reply json(int status, Object body) {
            return new Reply(status, new String(Json.write(body), StandardCharsets.UTF_8), Map.of());
        }
    }

    /** A request as the mock read it. */
    public record Request(String method, String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        /** The body as form fields (URL-decoded, UTF-8). */
        public Map<String, String> form() {
            Map<String, String> m = new LinkedHashMap<>();
            if (body == null || body.isEmpty()) {
                return m;
            }
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                String k = eq < 0 ? pair : pair.substring(0, eq);
                String v = eq < 0 ? "" : pair.substring(eq + 1);
                m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            }
            return m;
        }

        /** The body as JSON (an empty object when it is not JSON). */
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException | RuntimeException e) {
                return Json.mapper().createObjectNode();
            }
        }
    }

    /** Handles one path. */
    @FunctionalInterface
    public interface Route {
        Reply handle(Request request);
    }

    private final Queue<String> traceparents = new ConcurrentLinkedQueue<>();
    private final HttpServer server;
    private final String channel;
    protected final Clock clock;
    private final DeliveryLedger ledger = new DeliveryLedger();
    private final Map<String, String> deviceByToken = new ConcurrentHashMap<>();
    private final Map<String, Instant> expiredTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> authTokens = new ConcurrentHashMap<>();
    private final Queue<Reply> scripted = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private volatile Duration authTokenLifetime = Duration.ofHours(24);

    protected MockVendorServer(String channel, Clock clock) {
        this.channel = channel;
        this.clock = clock;
        try {
            this.server = HttpServer.create(MockNetwork.bindAddress(), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind mock " + channel, e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    }

    /** Serves {@code path} (exact match) with {@code route}; call before {@link #start()}. */
    protected final void route(String path, Route route) {
        server.createContext(path, ex -> serve(ex, route));
    }

    protected final void start() {
        server.start();
    }

    private void serve(HttpExchange ex, Route route) throws IOException {
        try (ex) {
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body);
            String traceparent = request.header("traceparent");
            if (traceparent != null) {
                traceparents.add(traceparent);
            }
            Reply reply;
            try {
                reply = route.handle(request);
            } catch (RuntimeException e) {
                reply = new Reply(500, "{\"error\":\"mock failure: " + e + "\"}", Map.of());
            }
            count("http." + reply.status());
            byte[] bytes = reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
            reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
            ex.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    /** The base URI, e.g. {@code http://127.0.0.1:41234} ({@link MockNetwork}). */
    public URI baseUrl() {
        return MockNetwork.http(server.getAddress().getPort());
    }

    public DeliveryLedger ledger() {
        return ledger;
    }

    /** The channel name this mock records in the ledger. */
    public String channel() {
        return channel;
    }

    public void registerDevice(String deviceId, String token) {
        deviceByToken.put(token, deviceId);
    }

    /** From {@code at} on, the token is answered as invalid (uninstalled app). */
    public void expireToken(String token, Instant at) {
        expiredTokens.put(token, at);
    }

    /** The device of a registered token that has not expired, or {@code null}. */
    protected String liveDevice(String token) {
        Instant expired = expiredTokens.get(token);
        if (expired != null && !clock.instant().isBefore(expired)) {
            return null;
        }
        return deviceByToken.get(token);
    }

    /** The next {@code count} send requests are answered with {@code reply} instead of being checked. */
    public void failNext(int count, Reply reply) {
        for (int i = 0; i < count; i++) {
            scripted.add(reply);
        }
    }

    /** A scripted failure for this send request, if one is queued. */
    protected Reply scriptedFailure() {
        return scripted.poll();
    }

    /** Auth tokens issued from now on live this long (short in tests, to exercise refresh). */
    public void authTokenLifetime(Duration lifetime) {
        this.authTokenLifetime = lifetime;
    }

    public Duration authTokenLifetime() {
        return authTokenLifetime;
    }

    /** Issues a new auth token, counted as an auth call. */
    protected String issueAuthToken() {
        count("auth");
        byte[] raw = new byte[16];
        new SecureRandom().nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        authTokens.put(token, clock.instant().plus(authTokenLifetime));
        return token;
    }

    /** Whether {@code token} was ever issued here (expired or not). */
    protected boolean authIssued(String token) {
        return token != null && authTokens.containsKey(token);
    }

    /**
     * An OAuth 2.0 client-credentials token endpoint: {@code unsupportedGrant} unless
     * {@code grant_type=client_credentials}, {@code invalidClient} unless {@code client_id} and
     * {@code client_secret} match; otherwise 200 {@code {access_token, expires_in, token_type}} with a
     * newly issued token.
     */
    protected Reply clientCredentialsToken(Request r, String clientId, String clientSecret, Reply unsupportedGrant,
                                           Reply invalidClient) {
        Map<String, String> form = r.form();
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return unsupportedGrant;
        }
        if (!clientId.equals(form.get("client_id")) || !clientSecret.equals(form.get("client_secret"))) {
            return invalidClient;
        }
        return Reply.json(200, Map.of("access_token", issueAuthToken(), "expires_in", authTokenLifetime.toSeconds(),
                "token_type", "Bearer"));
    }

    /** The token of an {@code Authorization: Bearer <token>} header, or {@code null}. */
    protected static String bearer(Request r) {
        String auth = r.header("Authorization");
        return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
    }

    /** Whether a request's epoch-millis timestamp lies within {@link #TIMESTAMP_WINDOW} of the mock's clock. */
    protected boolean timestampFresh(long epochMillis) {
        long now = clock.millis();
        long window = TIMESTAMP_WINDOW.toMillis();
        return epochMillis >= now - window && epochMillis <= now + window;
    }

    /** One field of a JSON object carried as a string (e.g. a {@code data} field), or {@code null}. */
    protected static String jsonField(String json, String field) {
        try {
            return Json.mapper().readTree(json).path(field).asText(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** {@code algorithm} (MD5, SHA-256) of the UTF-8 bytes of {@code s}, lowercase hex: vendors' sign recipes. */
    protected static String hexDigest(String algorithm, String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code token} was issued here and has not expired. */
    protected boolean authValid(String token) {
        Instant until = token == null ? null : authTokens.get(token);
        return until != null && clock.instant().isBefore(until);
    }

    /** Expires every issued auth token now (the next send gets the vendor's auth-expired answer). */
    public void expireAuthTokens() {
        authTokens.replaceAll((t, until) -> clock.instant());
    }

    /**
     * Calls a receipt back as the vendor does, a moment after the push it answers: POSTs {@code body}
     * ({@code contentType}) to {@code url} on a virtual thread; counted as {@code receipt.<status>}, or
     * {@code receipt.failed} when the call fails.
     */
    protected void callBack(String url, String contentType, String body) {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(20);
                HttpResponse<Void> r = CALLBACKS.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.discarding());
                count("receipt." + r.statusCode());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                count("receipt.failed");
            }
        });
    }

    /** Records an accepted notification. */
    protected void accepted(String messageId, String deviceId, String collapseId) {
        ledger.accepted(channel, messageId, deviceId, collapseId);
    }

    /** Records an accepted notification, and what it carried when the ledger {@linkplain DeliveryLedger#keepPayloads keeps payloads}. */
    protected void accepted(String messageId, String deviceId, String collapseId, String payload) {
        if (ledger.keepsPayloads()) { // before the count: a test that saw the request reads its payload
            ledger.payload(messageId, deviceId, payload);
        }
        accepted(messageId, deviceId, collapseId);
    }

    protected void count(String what) {
        counters.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** A counter: {@code auth} (auth calls), {@code http.<status>}, or what the vendor mock counts. */
    public long counted(String what) {
        AtomicLong n = counters.get(what);
        return n == null ? 0 : n.get();
    }

    /** The W3C {@code traceparent} of every request that carried one, in arrival order (its request log). */
    public List<String> traceparents() {
        return List.copyOf(traceparents);
    }

    /** How many auth tokens were issued. */
    public long authCalls() {
        return counted("auth");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
