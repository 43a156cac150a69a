package dev.impush.worker.channel.webpush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class VapidTest {
    private static final KeyPair KEYS = P256.generate();
    private static final String PUBLIC = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(P256.encode((ECPublicKey) KEYS.getPublic()));
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

    /** The raw scalar in base64url, as web-push tools print a VAPID private key. */
    private static String rawPrivate(KeyPair keys) {
        byte[] s = ((ECPrivateKey) keys.getPrivate()).getS().toByteArray();
        byte[] scalar = new byte[32];
        int len = Math.min(32, s.length);
        System.arraycopy(s, s.length - len, scalar, 32 - len, len);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(scalar);
    }

    private static Vapid vapid(Clock clock) {
        return new Vapid(rawPrivate(KEYS), PUBLIC, "mailto:push@example.com", clock);
    }

    @Test
    void theHeader_isAnEs256TokenForTheOrigin_thatThePublicKeyVerifies() throws Exception {
        String header = vapid(Clock.fixed(NOW, ZoneOffset.UTC)).authorization("https://fcm.googleapis.com");

        assertTrue(header.startsWith("vapid t=") && header.endsWith(", k=" + PUBLIC), header);
        String jwt = header.substring("vapid t=".length(), header.indexOf(", k="));
        String[] parts = jwt.split("\\.");
        JsonNode head = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("ES256", head.path("alg").asText());
        assertEquals("https://fcm.googleapis.com", claims.path("aud").asText());
        assertEquals("mailto:push@example.com", claims.path("sub").asText());
        assertEquals(NOW.plus(Duration.ofHours(12)).getEpochSecond(), claims.path("exp").asLong(), "at most 24 h (RFC 8292)");
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initVerify(KEYS.getPublic());
        es256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(es256.verify(Base64.getUrlDecoder().decode(parts[2])), "r || s, 64 bytes");
    }

    @Test
    void aToken_isReusedPerOrigin_untilAnHourBeforeItExpires_orARefusal() {
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            public ZoneOffset getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now[0]; }
        };
        Vapid v = vapid(clock);
        String first = v.authorization("https://fcm.googleapis.com");
        assertEquals(first, v.authorization("https://fcm.googleapis.com"));
        assertNotEquals(first, v.authorization("https://updates.push.services.mozilla.com"), "each origin its own audience");
        now[0] = NOW.plus(Duration.ofHours(10));
        assertEquals(first, v.authorization("https://fcm.googleapis.com"));
        now[0] = NOW.plus(Duration.ofHours(11));
        String renewed = v.authorization("https://fcm.googleapis.com");
        assertNotEquals(first, renewed);
        v.invalidate("https://fcm.googleapis.com");
        now[0] = now[0].plusSeconds(1);
        assertNotEquals(renewed, v.authorization("https://fcm.googleapis.com"));
    }

    @Test
    void aPemKey_isRead_andKeysThatAreNoPair_areRefused() {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(KEYS.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        new Vapid(pem, PUBLIC, "mailto:push@example.com", Clock.systemUTC());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Vapid(rawPrivate(P256.generate()), PUBLIC, "mailto:push@example.com", Clock.systemUTC()));
        assertEquals("the public key is not the private key's", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Vapid("not a key", PUBLIC, "mailto:x@y", Clock.systemUTC()));
    }
}
