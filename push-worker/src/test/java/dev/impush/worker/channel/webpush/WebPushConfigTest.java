package dev.impush.worker.channel.webpush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebPushConfigTest {
    private static final KeyPair KEYS = P256.generate();
    private static final String PUBLIC = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(P256.encode((ECPublicKey) KEYS.getPublic()));
    private static final String PEM = "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(KEYS.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";

    private static Env env(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of(WebPushConfig.VAPID_PRIVATE_KEY, PEM,
                WebPushConfig.VAPID_PUBLIC_KEY, PUBLIC, WebPushConfig.VAPID_SUBJECT, "mailto:ops@example.com"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                m.remove(kv[i]);
            } else {
                m.put(kv[i], kv[i + 1]);
            }
        }
        return Env.of(m);
    }

    @Test
    void withoutAPrivateKey_thereIsNoChannel() {
        assertEquals(Optional.empty(), WebPushConfig.fromEnv(Env.of(Map.of())));
    }

    @Test
    void theDefaults_allowTheBrowsersPushServices_overHttpsOnly() {
        WebPushConfig c = WebPushConfig.fromEnv(env()).orElseThrow();
        assertTrue(c.allows("fcm.googleapis.com") && c.allows("updates.push.services.mozilla.com")
                && c.allows("web.push.apple.com") && c.allows("wns2-par02p.notify.windows.com"));
        assertFalse(c.allows("169.254.169.254") || c.allows("notify.windows.com.evil.example")
                || c.allows("evilfcm.googleapis.com"));
        assertFalse(c.allowHttp());
        assertFalse(c.toString().contains(PEM.substring(30, 60)), "the key is never printed");
    }

    @Test
    void aMissingOrWrongKey_isAnErrorNamingTheVariable() {
        assertTrue(assertThrows(ConfigException.class, () -> WebPushConfig.fromEnv(env(WebPushConfig.VAPID_PUBLIC_KEY, null)))
                .getMessage().startsWith("IMPUSH_WEBPUSH_VAPID_PUBLIC_KEY is required"));
        assertTrue(assertThrows(ConfigException.class, () -> WebPushConfig.fromEnv(env(WebPushConfig.VAPID_SUBJECT, null)))
                .getMessage().startsWith("IMPUSH_WEBPUSH_VAPID_SUBJECT is required"));
        String other = Base64.getUrlEncoder().withoutPadding().encodeToString(P256.encode((ECPublicKey) P256.generate().getPublic()));
        ConfigException mismatch = assertThrows(ConfigException.class,
                () -> WebPushConfig.fromEnv(env(WebPushConfig.VAPID_PUBLIC_KEY, other)));
        assertTrue(mismatch.getMessage().contains("the public key is not the private key's"), mismatch.getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> WebPushConfig.fromEnv(env(WebPushConfig.VAPID_SUBJECT, "ops")))
                .getMessage().contains("mailto: or https:"));
    }
}
