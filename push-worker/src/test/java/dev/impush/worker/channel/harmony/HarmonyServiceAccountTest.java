package dev.impush.worker.channel.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.codec.Json;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HarmonyServiceAccountTest {
    private static final HarmonyServiceAccount ACCOUNT = HarmonyServiceAccount.parse(HarmonyFixtures.SERVICE_ACCOUNT);

    @Test
    void jwt_isPs256WithTheDocumentedHeaderAndClaims_andVerifiesWithThePublicKey() throws Exception {
        String jwt = ACCOUNT.jwt(HarmonyFixtures.NOW, Duration.ofHours(1));

        String[] parts = jwt.split("\\.");
        assertEquals(3, parts.length);
        JsonNode header = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("PS256", header.path("alg").asText());
        assertEquals("JWT", header.path("typ").asText());
        assertEquals(HarmonyFixtures.KEY_ID, header.path("kid").asText());
        assertEquals(HarmonyFixtures.SUB_ACCOUNT, claims.path("iss").asText());
        assertEquals("https://oauth-login.cloud.huawei.com/oauth2/v3/token", claims.path("aud").asText());
        assertEquals(HarmonyFixtures.NOW.getEpochSecond(), claims.path("iat").asLong());
        assertEquals(HarmonyFixtures.NOW.getEpochSecond() + 3600, claims.path("exp").asLong());
        Signature ps256 = Signature.getInstance("RSASSA-PSS");
        ps256.setParameter(HarmonyServiceAccount.PS256);
        ps256.initVerify(HarmonyFixtures.KEYS.getPublic());
        ps256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(ps256.verify(Base64.getUrlDecoder().decode(parts[2])));
    }

    @Test
    void jwt_isFreshlySaltedEachTime() {
        assertFalse(ACCOUNT.jwt(HarmonyFixtures.NOW, Duration.ofHours(1))
                .equals(ACCOUNT.jwt(HarmonyFixtures.NOW, Duration.ofHours(1))));
    }

    @Test
    void parse_defaultsTheAudienceAndKeepsTheProject() {
        String noTokenUri = HarmonyFixtures.SERVICE_ACCOUNT.replaceAll("\"token_uri\":\"[^\"]*\",?", "");

        HarmonyServiceAccount a = HarmonyServiceAccount.parse(noTokenUri);

        assertEquals(HarmonyServiceAccount.DEFAULT_TOKEN_URI, a.tokenUri());
        assertEquals(HarmonyFixtures.PROJECT_ID, a.projectId());
    }

    @Test
    void parse_namesWhatIsWrong_neverTheKey() {
        assertEquals("\"sub_account\" is missing", assertThrows(IllegalArgumentException.class,
                () -> HarmonyServiceAccount.parse(HarmonyFixtures.SERVICE_ACCOUNT.replace("sub_account", "x"))).getMessage());
        String badKey = HarmonyFixtures.SERVICE_ACCOUNT.replaceAll("PRIVATE KEY-----\\\\n[A-Za-z0-9+/]{8}", "PRIVATE KEY-----\\\\nAAAA");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HarmonyServiceAccount.parse(badKey));
        assertEquals("private_key is not an RSA key in PKCS#8 PEM", e.getMessage());
        assertEquals("not a JSON service-account key file", assertThrows(IllegalArgumentException.class,
                () -> HarmonyServiceAccount.parse("-----BEGIN PRIVATE KEY-----")).getMessage());
        assertFalse(ACCOUNT.toString().contains("PRIVATE"), ACCOUNT.toString());
    }
}
