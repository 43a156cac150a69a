package dev.impush.worker.channel.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.http.PemKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A Google service account, as its JSON key file holds it, and the assertions it signs for
 * Google's token endpoint (the JWT bearer grant, RFC 7523): header {@code {"alg":"RS256",
 * "typ":"JWT","kid":private_key_id}}, claims {@code iss} = the account's email, {@code scope} = FCM's,
 * {@code aud} = {@code token_uri}, {@code iat} now, {@code exp} an hour later. {@link #toString()}
 * never shows the key. Thread-safe.
 *
 * @param tokenUri where access tokens are fetched ({@code https://oauth2.googleapis.com/token})
 */
public record GoogleServiceAccount(String projectId, String clientEmail, String privateKeyId,
                                   PrivateKey privateKey, URI tokenUri) implements FcmConfig.Credentials {
    /** The scope that lets a token send FCM messages. */
    public static final String FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
    /** Google's limit on an assertion's lifetime. */
    static final Duration ASSERTION_LIFETIME = Duration.ofHours(1);

    public GoogleServiceAccount {
        Objects.requireNonNull(clientEmail, "client_email");
        Objects.requireNonNull(privateKey, "private_key");
        Objects.requireNonNull(tokenUri, "token_uri");
    }

    /**
     * Reads a service-account key file ({@code type} {@code service_account}, with
     * {@code client_email}, {@code private_key} as PKCS#8 PEM and {@code token_uri}).
     *
     * @throws IllegalArgumentException naming what is missing or wrong (never the key itself)
     */
    public static GoogleServiceAccount read(Path file) {
        JsonNode json;
        try {
            json = Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("not a readable JSON file (" + e.getClass().getSimpleName() + ")");
        }
        if (json == null || !"service_account".equals(json.path("type").asText())) {
            throw new IllegalArgumentException("not a service-account key file (\"type\" is not \"service_account\")");
        }
        String email = required(json, "client_email");
        String pem = required(json, "private_key");
        URI tokenUri;
        try {
            tokenUri = URI.create(required(json, "token_uri"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token_uri is not a URL");
        }
        return new GoogleServiceAccount(json.path("project_id").asText(""), email,
                json.path("private_key_id").asText(""), PemKeys.rsaPrivateKey(pem), tokenUri);
    }

    /** A signed assertion, issued at {@code now}, for the FCM scope. */
    public String assertion(Instant now) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        var header = Json.mapper().createObjectNode().put("alg", "RS256").put("typ", "JWT");
        if (!privateKeyId.isEmpty()) {
            header.put("kid", privateKeyId);
        }
        var claims = Json.mapper().createObjectNode()
                .put("iss", clientEmail)
                .put("scope", FCM_SCOPE)
                .put("aud", tokenUri.toString())
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(ASSERTION_LIFETIME).getEpochSecond());
        String signingInput = b64.encodeToString(Json.write(header)) + "." + b64.encodeToString(Json.write(claims));
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(privateKey);
            rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(rs256.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the service account's key", e);
        }
    }

    private static String required(JsonNode json, String field) {
        String value = json.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing");
        }
        return value;
    }


    @Override
    public String toString() {
        return "GoogleServiceAccount[" + clientEmail + ", key " + privateKeyId + "]";
    }
}
