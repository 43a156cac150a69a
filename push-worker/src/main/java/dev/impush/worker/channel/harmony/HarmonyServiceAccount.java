package dev.impush.worker.channel.harmony;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.http.KeyFiles;
import java.io.IOException;
import java.net.URI;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A Push Kit service account, as the key file AppGallery Connect's API console hands out holds it
 * ({@code project_id}, {@code key_id}, {@code private_key} as PKCS#8 PEM, {@code sub_account},
 * {@code token_uri}), and the JWT that authorizes each send to Push Kit for HarmonyOS: header
 * {@code {"kid":key_id,"typ":"JWT","alg":"PS256"}}, claims {@code iss} = {@code sub_account},
 * {@code aud} = {@code token_uri}, {@code iat} now, {@code exp} after the lifetime; signed RSASSA-PSS
 * with SHA-256, MGF1-SHA-256 and a 32-byte salt. The JWT is sent as the bearer token itself (HarmonyOS 5
 * takes no OAuth access token). {@link #toString()} never shows the key. Thread-safe.
 *
 * @param tokenUri the JWT's audience: {@code https://oauth-login.cloud.huawei.com/oauth2/v3/token}
 */
public record HarmonyServiceAccount(String projectId, String keyId, String subAccount, PrivateKey privateKey,
                                    URI tokenUri) {
    /** Push Kit refuses a JWT that lives longer than a day (80300036). */
    public static final Duration MAX_LIFETIME = Duration.ofDays(1);
    /** The audience when the key file names none. */
    public static final URI DEFAULT_TOKEN_URI = URI.create("https://oauth-login.cloud.huawei.com/oauth2/v3/token");
    /** PS256 as JWS (RFC 7518 §3.5) defines it: the salt is as long as the hash. */
    static final PSSParameterSpec PS256 = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    public HarmonyServiceAccount {
        Objects.requireNonNull(projectId, "project_id");
        Objects.requireNonNull(keyId, "key_id");
        Objects.requireNonNull(subAccount, "sub_account");
        Objects.requireNonNull(privateKey, "private_key");
        Objects.requireNonNull(tokenUri, "token_uri");
    }

    /**
     * Reads a key file's JSON text.
     *
     * @throws IllegalArgumentException naming what is missing or wrong (never the key itself)
     */
    public static HarmonyServiceAccount parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON service-account key file");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not a JSON service-account key file");
        }
        URI tokenUri;
        try {
            tokenUri = root.path("token_uri").asText("").isBlank() ? DEFAULT_TOKEN_URI
                    : URI.create(root.path("token_uri").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token_uri is not a URL");
        }
        return new HarmonyServiceAccount(root.path("project_id").asText(""), KeyFiles.required(root, "key_id"),
                KeyFiles.required(root, "sub_account"), KeyFiles.rsaPrivateKey(KeyFiles.required(root, "private_key")), tokenUri);
    }

    /** A JWT issued at {@code now}, valid for {@code lifetime} (at most {@link #MAX_LIFETIME}). */
    public String jwt(Instant now, Duration lifetime) {
        var header = Json.mapper().createObjectNode().put("kid", keyId).put("typ", "JWT").put("alg", "PS256");
        var claims = Json.mapper().createObjectNode()
                .put("aud", tokenUri.toString())
                .put("iss", subAccount)
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(lifetime).getEpochSecond());
        return KeyFiles.signedJwt(header, claims, privateKey, "RSASSA-PSS", PS256);
    }



    @Override
    public String toString() {
        return "HarmonyServiceAccount[" + subAccount + ", key " + keyId + "]";
    }
}
