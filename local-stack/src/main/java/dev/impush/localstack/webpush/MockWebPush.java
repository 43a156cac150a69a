package dev.impush.localstack.webpush;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.MockNetwork;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local push service (RFC 8030) with the browser behind it: {@link #subscribe} makes a subscription
 * the way a browser does ({@code pushManager.subscribe({applicationServerKey})}: its own P-256 key pair
 * and auth secret, an endpoint here), and every message is checked as a push service checks it and
 * then decrypted as the browser would (RFC 8291), independently of the worker's code.
 *
 * <p>Checks, in order: {@code Authorization: vapid t=<JWT>, k=<key>} present (401), the JWT an ES256
 * token signed by {@code k} for this origin, expiring within 24 h, with a {@code mailto:} or
 * {@code https:} subject, and {@code k} the key the subscription was made with (403); the
 * subscription known (404) and not expired (410, {@link #expire}); injected failures
 * ({@link #failNext}); {@code TTL} present, {@code Content-Encoding: aes128gcm}, {@code Urgency} and
 * {@code Topic} well formed (400); at most 4,096 bytes (413); the body decrypts (400). An accepted
 * message (201) goes to the ledger as {@code ("webpush", data.messageId, device, tag)}, its decrypted
 * JSON as the payload when the ledger keeps payloads. Thread-safe; requests on virtual threads.
 */
public final class MockWebPush implements AutoCloseable {
    public static final String CHANNEL = "webpush";
    private static final Pattern VAPID = Pattern.compile("^vapid t=([^,\\s]+),\\s*k=([A-Za-z0-9_-]+)$");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9_-]{1,32}");
    private static final Set<String> URGENCIES = Set.of("very-low", "low", "normal", "high");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern PUSH_PATH = Pattern.compile("^/push/([0-9a-f-]+)$");
    private static final ECParameterSpec P256 = ((ECPublicKey) generate().getPublic()).getParams();

    /** A browser's subscription: who it is, its keys, and the application server key it was made with. */
    private record Subscription(String deviceId, KeyPair keys, byte[] auth, byte[] serverKey) {}

    private record Failure(int status, Duration retryAfter) {}

    private final DeliveryLedger ledger;
    private final byte[] serverKey;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Set<String> expired = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    private final AtomicLong failuresLeft = new AtomicLong();

    private MockWebPush(DeliveryLedger ledger, byte[] serverKey) throws IOException {
        this.ledger = ledger;
        this.serverKey = serverKey.clone();
        this.server = HttpServer.create(MockNetwork.bindAddress(), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** @param applicationServerKey the VAPID public key (uncompressed point) web apps subscribe with */
    public static MockWebPush start(DeliveryLedger ledger, byte[] applicationServerKey) {
        try {
            return new MockWebPush(ledger, applicationServerKey);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the Web Push mock", e);
        }
    }

    public URI baseUrl() {
        return MockNetwork.http(server.getAddress().getPort());
    }

    public DeliveryLedger ledger() {
        return ledger;
    }

    /**
     * A new subscription of {@code deviceId}'s browser, as {@code JSON.stringify(subscription)}: the
     * token a web client registers.
     */
    public String subscribe(String deviceId) {
        KeyPair keys = generate();
        byte[] auth = new byte[16];
        RANDOM.nextBytes(auth);
        String id = UUID.randomUUID().toString();
        subscriptions.put(id, new Subscription(deviceId, keys, auth, serverKey));
        var json = Json.mapper().createObjectNode().put("endpoint", baseUrl() + "/push/" + id).putNull("expirationTime");
        json.putObject("keys").put("p256dh", B64.encodeToString(point((ECPublicKey) keys.getPublic())))
                .put("auth", B64.encodeToString(auth));
        return json.toString();
    }

    /** From now on the push service answers 410 Gone for this subscription (the user revoked permission). */
    public void expire(String subscriptionJson) {
        expired.add(idOf(subscriptionJson));
    }

    /** The next {@code count} authenticated messages are answered {@code status} ({@code Retry-After} when given). */
    public void failNext(int count, int status, Duration retryAfter) {
        failure.set(new Failure(status, retryAfter));
        failuresLeft.set(count);
    }

    /** Messages answered with {@code status} so far. */
    public long answered(int status) {
        AtomicLong n = answers.get(Integer.toString(status));
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static String idOf(String subscriptionJson) {
        try {
            String endpoint = Json.mapper().readTree(subscriptionJson).path("endpoint").asText();
            return endpoint.substring(endpoint.lastIndexOf('/') + 1);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a subscription", e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Matcher path = PUSH_PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                respond(exchange, 404, "not a push resource");
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher vapid = VAPID.matcher(authorization == null ? "" : authorization.trim());
            if (!vapid.matches()) {
                respond(exchange, 401, "missing VAPID authorization");
                return;
            }
            Subscription s = subscriptions.get(path.group(1));
            String problem = vapidProblem(vapid.group(1), vapid.group(2), s);
            if (problem != null) {
                respond(exchange, 403, problem);
                return;
            }
            if (s == null) {
                respond(exchange, 404, "no such subscription");
                return;
            }
            if (expired.contains(path.group(1))) {
                respond(exchange, 410, "push subscription has unsubscribed or expired");
                return;
            }
            Failure f = failure.get();
            if (f != null && failuresLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                if (f.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", Long.toString(f.retryAfter().toSeconds()));
                }
                respond(exchange, f.status(), "injected");
                return;
            }
            String headerProblem = headerProblem(exchange);
            if (headerProblem != null) {
                respond(exchange, 400, headerProblem);
                return;
            }
            if (body.length > 4096) {
                respond(exchange, 413, "payload too large");
                return;
            }
            byte[] plaintext;
            try {
                plaintext = decrypt(body, s);
            } catch (GeneralSecurityException | RuntimeException e) {
                respond(exchange, 400, "cannot decrypt: " + e.getMessage());
                return;
            }
            JsonNode message = Json.mapper().readTree(plaintext);
            String messageId = message.path("data").path("messageId").asText(null);
            if (ledger.keepsPayloads()) { // before the count: a test that saw the request reads its payload
                ledger.payload(messageId, s.deviceId(), new String(plaintext, StandardCharsets.UTF_8));
            }
            ledger.accepted(CHANNEL, messageId, s.deviceId(), message.path("tag").asText(null));
            exchange.getResponseHeaders().add("Location", baseUrl() + "/message/" + UUID.randomUUID());
            respond(exchange, 201, "");
        }
    }

    /** What is wrong with the VAPID token (RFC 8292), or null. */
    private String vapidProblem(String jwt, String k, Subscription s) {
        byte[] key;
        try {
            key = Base64.getUrlDecoder().decode(k);
        } catch (IllegalArgumentException e) {
            return "k is not base64url";
        }
        if (s != null && !Arrays.equals(key, s.serverKey())) {
            return "the VAPID key is not the subscription's applicationServerKey";
        }
        String[] parts = jwt.split("\\.");
        try {
            JsonNode header = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initVerify(publicKey(key));
            es256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (parts.length != 3 || !"ES256".equals(header.path("alg").asText())
                    || !es256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "bad JWT signature";
            }
            long exp = claims.path("exp").asLong(0);
            long now = Instant.now().getEpochSecond();
            if (exp <= now || exp > now + Duration.ofHours(24).toSeconds()) {
                return "JWT exp must be in the next 24 hours";
            }
            if (!baseUrl().toString().equals(claims.path("aud").asText())) {
                return "JWT aud is not this push service's origin";
            }
            String sub = claims.path("sub").asText("");
            return sub.startsWith("mailto:") || sub.startsWith("https:") ? null : "JWT sub must be mailto: or https:";
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return "bad JWT";
        }
    }

    private static String headerProblem(HttpExchange exchange) {
        var h = exchange.getRequestHeaders();
        String ttl = h.getFirst("TTL");
        if (ttl == null || !ttl.matches("\\d{1,10}")) {
            return "TTL header required";
        }
        if (!"aes128gcm".equals(h.getFirst("Content-Encoding"))) {
            return "Content-Encoding must be aes128gcm";
        }
        String urgency = h.getFirst("Urgency");
        if (urgency != null && !URGENCIES.contains(urgency)) {
            return "bad Urgency";
        }
        String topic = h.getFirst("Topic");
        return topic == null || TOPIC.matcher(topic).matches() ? null : "bad Topic";
    }

    /** RFC 8291 on the browser's side: ECDH with the sender's key from the header, then RFC 8188 in one record. */
    private static byte[] decrypt(byte[] body, Subscription s) throws GeneralSecurityException {
        ByteBuffer b = ByteBuffer.wrap(body);
        byte[] salt = new byte[16];
        b.get(salt);
        int rs = b.getInt();
        byte[] senderKey = new byte[b.get() & 0xff];
        b.get(senderKey);
        byte[] ciphertext = new byte[b.remaining()];
        b.get(ciphertext);
        if (rs < 18 || ciphertext.length > rs) {
            throw new GeneralSecurityException("more than one record");
        }
        KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
        ecdh.init(s.keys().getPrivate());
        ecdh.doPhase(publicKey(senderKey), true);
        byte[] uaPublic = point((ECPublicKey) s.keys().getPublic());
        byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uaPublic, senderKey);
        byte[] ikm = hkdf(s.auth(), ecdh.generateSecret(), keyInfo, 32);
        byte[] cek = hkdf(salt, ikm, "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] nonce = hkdf(salt, ikm, "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), 12);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
        byte[] padded = gcm.doFinal(ciphertext);
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != 2) {
            throw new GeneralSecurityException("no last-record delimiter");
        }
        return Arrays.copyOf(padded, end);
    }

    private static byte[] hkdf(byte[] salt, byte[] ikm, byte[] info, int length) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(salt, "HmacSHA256"));
        byte[] prk = mac.doFinal(ikm);
        mac.init(new SecretKeySpec(prk, "HmacSHA256"));
        return Arrays.copyOf(mac.doFinal(concat(info, new byte[] {1})), length);
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuffer b = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
        Arrays.stream(parts).forEach(b::put);
        return b.array();
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new VAPID key pair for an application server: give its public point to {@link #start}. */
    public static KeyPair newServerKeys() {
        return generate();
    }

    /** {@code 0x04 || x || y}. */
    public static byte[] point(ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 4;
        coordinate(key.getW().getAffineX(), out, 1);
        coordinate(key.getW().getAffineY(), out, 33);
        return out;
    }

    private static void coordinate(BigInteger c, byte[] out, int offset) {
        byte[] b = c.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
    }

    private static PublicKey publicKey(byte[] point) throws GeneralSecurityException {
        if (point.length != 65 || point[0] != 4) {
            throw new GeneralSecurityException("not an uncompressed point");
        }
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
                new BigInteger(1, Arrays.copyOfRange(point, 1, 33)), new BigInteger(1, Arrays.copyOfRange(point, 33, 65))),
                P256));
    }

    private void respond(HttpExchange exchange, int status, String reason) throws IOException {
        answers.computeIfAbsent(Integer.toString(status), k -> new AtomicLong()).incrementAndGet();
        byte[] out = reason.isEmpty() ? new byte[0]
                : Json.write(Map.of("code", status, "errno", 100 + status % 100, "error", "push service",
                        "message", reason));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        }
    }
}
