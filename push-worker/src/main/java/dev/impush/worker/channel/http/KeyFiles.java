package dev.impush.worker.channel.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** What vendors' service-account key files need: their fields, their RSA key, the JWTs it signs. */
public final class KeyFiles {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private KeyFiles() {}

    /**
     * An RSA key in PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), as service-account files carry it.
     *
     * @throws IllegalArgumentException when it is not one (the message never shows the text)
     */
    public static PrivateKey rsaPrivateKey(String pem) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("private_key is not an RSA key in PKCS#8 PEM");
        }
    }

    /**
     * A key file's text field.
     *
     * @throws IllegalArgumentException naming the field when it is missing or blank
     */
    public static String required(JsonNode json, String field) {
        String value = json.path(field).asText("");
        if (value.isBlank()) {
            throw new IllegalArgumentException("\"" + field + "\" is missing");
        }
        return value;
    }

    /**
     * A compact JWS: {@code header} and {@code claims} in base64url, signed with {@code key} by the JCA
     * {@code algorithm} ({@code params} for one that takes them, such as RSASSA-PSS; else {@code null}).
     */
    public static String signedJwt(JsonNode header, JsonNode claims, PrivateKey key, String algorithm,
                                   AlgorithmParameterSpec params) {
        String signingInput = B64URL.encodeToString(Json.write(header)) + "." + B64URL.encodeToString(Json.write(claims));
        try {
            Signature signature = Signature.getInstance(algorithm);
            if (params != null) {
                signature.setParameter(params);
            }
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + B64URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with the service account's key", e);
        }
    }
}
