package dev.impush.worker.channel.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.http.KeyFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
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
        String email = KeyFiles.required(json, "client_email");
        String pem = KeyFiles.required(json, "private_key");
        URI tokenUri;
        try {
            tokenUri = URI.create(KeyFiles.required(json, "token_uri"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token_uri is not a URL");
        }
        return new GoogleServiceAccount(json.path("project_id").asText(""), email,
                json.path("private_key_id").asText(""), KeyFiles.rsaPrivateKey(pem), tokenUri);
    }

    /** A signed assertion, issued at {@code now}, for the FCM scope. */
    public String assertion(Instant now) {
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
        return KeyFiles.signedJwt(header, claims, privateKey, "SHA256withRSA", null);
    }

    @Override
    public String toString() {
        return "GoogleServiceAccount[" + clientEmail + ", key " + privateKeyId + "]";
    }
}
