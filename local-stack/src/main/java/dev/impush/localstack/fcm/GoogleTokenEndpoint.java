package dev.impush.localstack.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Google's OAuth 2.0 token endpoint for service accounts, as FCM's callers meet it: the JWT bearer
 * grant of RFC 7523 ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer},
 * {@code assertion=<JWT>}). The assertion must be an RS256 JWT signed with the private key of a
 * {@linkplain #newServiceAccount registered account} (its {@code kid}, when present, the key's id),
 * issued by the account's email, for this endpoint ({@code aud}), with the FCM scope, current and
 * living at most an hour. Anything else is answered as Google answers it ({@code invalid_grant},
 * {@code invalid_scope}, {@code unsupported_grant_type}, HTTP 400). An accepted assertion gets a
 * fresh access token living {@link #tokenLifetime}. Thread-safe.
 */
final class GoogleTokenEndpoint {
    static final String PATH = "/token";
    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    static final String FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    /** Google refuses assertions living longer than an hour, and tolerates this much clock skew. */
    private static final Duration MAX_ASSERTION_LIFETIME = Duration.ofHours(1);
    private static final Duration SKEW = Duration.ofMinutes(1);

    /** An answer: HTTP status and JSON body. */
    record Answer(int status, String json) {}

    private record Account(String keyId, PublicKey key, String projectId) {}

    /** An access token issued: until when it works, and for which project's account. */
    private record Issued(Instant expiry, String projectId) {}

    private final URI url;
    private final Clock clock;
    private final Map<String, Account> accounts = new ConcurrentHashMap<>();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private volatile Duration tokenLifetime = Duration.ofSeconds(3599);

    GoogleTokenEndpoint(URI url, Clock clock) {
        this.url = url;
        this.clock = clock;
    }

    URI url() {
        return url;
    }

    long requests() {
        return requests.get();
    }

    void tokenLifetime(Duration lifetime) {
        tokenLifetime = lifetime;
    }

    /** Every access token issued so far stops working (as after its expiry). */
    void expireIssuedTokens() {
        issued.replaceAll((token, i) -> new Issued(Instant.EPOCH, i.projectId()));
    }

    /** The project of the account {@code token} was issued to, when it was issued here and has not expired. */
    Optional<String> projectOf(String token) {
        Issued i = issued.get(token);
        return i != null && clock.instant().isBefore(i.expiry()) ? Optional.of(i.projectId()) : Optional.empty();
    }

    /**
     * A new service account of {@code projectId}: a fresh RSA key pair, registered here, and its JSON
     * key file (Google's format, {@code token_uri} this endpoint) written into {@code dir}.
     */
    Path newServiceAccount(Path dir, String clientEmail, String projectId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            String keyId = UUID.randomUUID().toString().replace("-", "");
            accounts.put(clientEmail, new Account(keyId, pair.getPublic(), projectId));
            ObjectNode json = Json.mapper().createObjectNode()
                    .put("type", "service_account")
                    .put("project_id", projectId)
                    .put("private_key_id", keyId)
                    .put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n")
                    .put("client_email", clientEmail)
                    .put("client_id", "1" + Math.abs((long) clientEmail.hashCode()))
                    .put("token_uri", url.toString());
            Path file = Files.createTempFile(dir, "service-account-", ".json");
            Files.writeString(file, json.toPrettyString());
            return file;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer handle(String method, String formBody) {
        requests.incrementAndGet();
        Map<String, String> form = parseForm(formBody);
        if (!"POST".equals(method) || !JWT_BEARER.equals(form.get("grant_type"))) {
            return error("unsupported_grant_type", "Invalid grant_type: " + form.getOrDefault("grant_type", ""));
        }
        String[] parts = form.getOrDefault("assertion", "").split("\\.", -1);
        if (parts.length != 3) {
            return error("invalid_grant", "Invalid JWT: not three segments.");
        }
        JsonNode header;
        JsonNode claims;
        try {
            header = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            return error("invalid_grant", "Invalid JWT: cannot decode.");
        }
        Account account = accounts.get(claims.path("iss").asText(""));
        if (!"RS256".equals(header.path("alg").asText()) || account == null
                || (header.has("kid") && !account.keyId().equals(header.path("kid").asText()))
                || !signedBy(account.key(), parts)) {
            return error("invalid_grant", "Invalid JWT Signature.");
        }
        if (!url.toString().equals(claims.path("aud").asText())) {
            return error("invalid_grant", "Invalid JWT: Failed audience check.");
        }
        if (!(" " + claims.path("scope").asText() + " ").contains(" " + FCM_SCOPE + " ")) {
            return error("invalid_scope", "Invalid OAuth scope or ID token audience provided.");
        }
        Instant now = clock.instant();
        Instant iat = Instant.ofEpochSecond(claims.path("iat").asLong(0));
        Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong(0));
        if (iat.isAfter(now.plus(SKEW)) || !exp.isAfter(now.minus(SKEW)) || !exp.isAfter(iat)
                || Duration.between(iat, exp).compareTo(MAX_ASSERTION_LIFETIME) > 0) {
            return error("invalid_grant", "Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
                    + "reasonable timeframe. Check your iat and exp values in the JWT claim.");
        }
        String token = "ya29.mock-" + UUID.randomUUID();
        Duration lifetime = tokenLifetime;
        issued.put(token, new Issued(now.plus(lifetime), account.projectId()));
        return new Answer(200, Json.mapper().createObjectNode().put("access_token", token)
                .put("expires_in", lifetime.toSeconds()).put("token_type", "Bearer").toString());
    }

    private static boolean signedBy(PublicKey key, String[] parts) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static Answer error(String error, String description) {
        return new Answer(400, Json.mapper().createObjectNode().put("error", error)
                .put("error_description", description).toString());
    }
}
