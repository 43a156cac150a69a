package dev.impush.worker.channel.webpush;

import dev.impush.worker.channel.http.VendorHttp;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Voluntary application server identification (RFC 8292): the {@code Authorization: vapid t=<JWT>, k=<key>}
 * header a push service checks against the key the browser subscribed with. The JWT is ES256, for one
 * push service origin ({@code aud}), with the operator's contact ({@code sub}); one per origin is
 * reused for 11 of its 12 hours. Thread-safe.
 */
final class Vapid {
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final Duration RENEW_BEFORE = Duration.ofHours(1);
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64URL.encodeToString("{\"typ\":\"JWT\",\"alg\":\"ES256\"}".getBytes(StandardCharsets.UTF_8));

    private record Token(String authorization, Instant renewAt) {}

    private final ECPrivateKey privateKey;
    private final String k;
    private final String subject;
    private final Clock clock;
    private final Map<String, Token> byOrigin = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException when the keys are not a P-256 key pair (never showing the private one)
     */
    Vapid(String privateKey, String publicKey, String subject, Clock clock) {
        this.privateKey = parsePrivate(privateKey);
        byte[] point;
        try {
            point = Base64.getUrlDecoder().decode(publicKey.trim().replace("=", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the public key must be base64url");
        }
        ECPublicKey pub = P256.publicKey(point);
        if (!matches(this.privateKey, pub)) {
            throw new IllegalArgumentException("the public key is not the private key's");
        }
        this.k = B64URL.encodeToString(point);
        this.subject = subject;
        this.clock = clock;
    }

    /** The {@code Authorization} header for a push service at {@code origin} ({@code https://host[:port]}). */
    String authorization(String origin) {
        Instant now = clock.instant();
        Token t = byOrigin.get(origin);
        if (t == null || !now.isBefore(t.renewAt())) {
            t = new Token("vapid t=" + jwt(origin, now.plus(LIFETIME)) + ", k=" + k, now.plus(LIFETIME).minus(RENEW_BEFORE));
            byOrigin.put(origin, t);
        }
        return t.authorization();
    }

    /** The push service refused our token: the next send signs a new one. */
    void invalidate(String origin) {
        byOrigin.remove(origin);
    }

    private String jwt(String audience, Instant expiresAt) {
        String claims = B64URL.encodeToString(VendorHttp.jsonText(Map.of("aud", audience,
                "exp", expiresAt.getEpochSecond(), "sub", subject)).getBytes(StandardCharsets.UTF_8));
        String signingInput = HEADER + "." + claims;
        return signingInput + "." + B64URL.encodeToString(sign(privateKey, signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** ES256 as JWS wants it: {@code r || s}, 64 bytes (not DER). */
    private static byte[] sign(ECPrivateKey key, byte[] data) {
        try {
            Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
            es256.initSign(key);
            es256.update(data);
            return es256.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a VAPID token", e);
        }
    }

    private static boolean matches(ECPrivateKey privateKey, ECPublicKey publicKey) {
        byte[] probe = "impush vapid key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature verify = Signature.getInstance("SHA256withECDSAinP1363Format");
            verify.initVerify(publicKey);
            verify.update(probe);
            return verify.verify(sign(privateKey, probe));
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** PEM PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}) or the raw 32-byte scalar in base64url (as web-push tools print it). */
    private static ECPrivateKey parsePrivate(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("-----BEGIN PRIVATE KEY-----")) {
                byte[] der = Base64.getMimeDecoder().decode(t.replaceAll("-----[A-Z ]+-----", ""));
                return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            }
            byte[] scalar = Base64.getUrlDecoder().decode(t.replace("=", ""));
            if (scalar.length != 32) {
                throw new IllegalArgumentException("the private key must be PEM (PKCS#8) or 32 bytes in base64url");
            }
            return P256.privateKey(scalar);
        } catch (GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key must be a P-256 key: PEM (PKCS#8) or 32 bytes in base64url");
        }
    }
}
