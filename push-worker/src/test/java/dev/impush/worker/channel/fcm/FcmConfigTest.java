package dev.impush.worker.channel.fcm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.fcm.MockFcmServer;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FcmConfigTest {

    @Test
    void fromEnv_noCredentials_isDisabled() {
        assertTrue(FcmConfig.fromEnv(Env.of(Map.of(FcmConfig.PROJECT_ID, "p"))).isEmpty());
    }

    @Test
    void fromEnv_staticToken_readsEverySettingWithDefaults() {
        FcmConfig c = FcmConfig.fromEnv(Env.of(Map.of(FcmConfig.PROJECT_ID, "p", FcmConfig.ACCESS_TOKEN, "t",
                FcmConfig.BASE_URL, "http://127.0.0.1:9000/"))).orElseThrow();

        assertEquals("p", c.projectId());
        assertEquals(new FcmConfig.StaticAccessToken("t"), c.credentials());
        assertEquals(URI.create("http://127.0.0.1:9000"), c.settings().baseUrl());
        assertEquals(URI.create("http://127.0.0.1:9000/v1/projects/p/messages:send"), c.sendUrl());
        assertEquals(256, c.settings().maxConcurrency());
        assertEquals(Duration.ofSeconds(10), c.settings().requestTimeout());
        assertEquals(Duration.ofSeconds(60), c.settings().rateLimitBackoff());
        assertEquals(ZoneOffset.UTC, c.settings().quotaZone());
        assertTrue(!c.toString().contains("=t,") && !c.toString().contains("[t]"), c::toString);
    }

    @Test
    void fromEnv_serviceAccountWithoutProjectId_takesItFromTheFile() {
        try (MockFcmServer fcm = MockFcmServer.start()) {
            Path file = fcm.serviceAccountFile();

            FcmConfig c = FcmConfig.fromEnv(Env.of(Map.of(FcmConfig.CREDENTIALS_FILE, file.toString()))).orElseThrow();

            assertEquals(fcm.projectId(), c.projectId());
            GoogleServiceAccount account = assertInstanceOf(GoogleServiceAccount.class, c.credentials());
            assertEquals(fcm.tokenUrl(), account.tokenUri());
            assertFalse(c.toString().contains("PRIVATE") || c.toString().contains(account.privateKey().toString()),
                    c::toString);
        }
    }

    @Test
    void fromEnv_notAServiceAccount_namesTheVariableAndWhatIsWrong(@TempDir Path dir) throws Exception {
        Path noKey = Files.writeString(dir.resolve("a.json"), "{\"type\":\"service_account\",\"project_id\":\"p\","
                + "\"client_email\":\"a@p.iam.gserviceaccount.com\",\"token_uri\":\"https://oauth2.googleapis.com/token\"}");
        Path badKey = Files.writeString(dir.resolve("b.json"), Files.readString(noKey).replace("}",
                ",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"}"));
        Path user = Files.writeString(dir.resolve("c.json"), "{\"type\":\"authorized_user\"}");

        assertMessageNames(FcmConfig.CREDENTIALS_FILE + "=" + noKey + ": \"private_key\" is missing",
                Map.of(FcmConfig.CREDENTIALS_FILE, noKey.toString()));
        assertMessageNames("private_key is not an RSA key", Map.of(FcmConfig.CREDENTIALS_FILE, badKey.toString()));
        assertMessageNames("not a service-account key file", Map.of(FcmConfig.CREDENTIALS_FILE, user.toString()));
    }

    @Test
    void fromEnv_badValues_nameTheVariable() {
        assertMessageNames(FcmConfig.ACCESS_TOKEN, Map.of(FcmConfig.ACCESS_TOKEN, "t"));
        assertMessageNames(FcmConfig.BASE_URL,
                Map.of(FcmConfig.PROJECT_ID, "p", FcmConfig.ACCESS_TOKEN, "t", FcmConfig.BASE_URL, "ftp://x/y"));
        assertMessageNames(FcmConfig.MAX_CONCURRENCY,
                Map.of(FcmConfig.PROJECT_ID, "p", FcmConfig.ACCESS_TOKEN, "t", FcmConfig.MAX_CONCURRENCY, "0"));
        assertMessageNames(FcmConfig.TIMEOUT_MS,
                Map.of(FcmConfig.PROJECT_ID, "p", FcmConfig.ACCESS_TOKEN, "t", FcmConfig.TIMEOUT_MS, "0"));
        assertMessageNames(FcmConfig.CREDENTIALS_FILE,
                Map.of(FcmConfig.ACCESS_TOKEN, "t", FcmConfig.CREDENTIALS_FILE, "/nope.json"));
    }

    private static void assertMessageNames(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> FcmConfig.fromEnv(Env.of(env)));
        assertTrue(e.getMessage().contains(key), e::getMessage);
    }
}
