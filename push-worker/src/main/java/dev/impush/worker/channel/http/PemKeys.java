package dev.impush.worker.channel.http;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Private keys as vendors' key files hold them. */
public final class PemKeys {
    private PemKeys() {}

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
}
