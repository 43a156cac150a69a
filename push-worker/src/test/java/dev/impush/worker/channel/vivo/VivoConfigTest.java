package dev.impush.worker.channel.vivo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VivoConfigTest {

    @Test
    void fromEnv_withoutAppId_isEmpty() {
        assertTrue(VivoConfig.fromEnv(Env.of(Map.of())).isEmpty());
    }

    @Test
    void fromEnv_credentialsOnly_usesImDefaults() {
        VivoConfig c = VivoConfig.fromEnv(Env.of(Map.of(VivoConfig.APP_ID, "1001", VivoConfig.APP_KEY, "k",
                VivoConfig.APP_SECRET, "s"))).orElseThrow();

        assertEquals(VivoConfig.DEFAULT_BASE_URL, c.settings().baseUrl().toString());
        assertEquals(new VivoConfig.Classification(1, "IM"), c.im());
        assertEquals(Set.of(10000), c.authExpiredCodes());
        assertEquals("Asia/Shanghai", c.settings().quotaZone().getId());
        assertEquals(Duration.ofHours(1), c.authTokenLifetime());
        assertFalse(c.toString().contains("s]"), "no secret in toString");
    }

    @Test
    void fromEnv_secretFile_isRead(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("secret"), "from-file\n");
        VivoConfig c = VivoConfig.fromEnv(Env.of(Map.of(VivoConfig.APP_ID, "1001", VivoConfig.APP_KEY, "k",
                VivoConfig.APP_SECRET_FILE, f.toString(), VivoConfig.AUTH_EXPIRED_CODES, "10000, 10001",
                VivoConfig.BASE_URL, "http://127.0.0.1:9/"))).orElseThrow();

        assertEquals("from-file", c.appSecret());
        assertEquals(Set.of(10000, 10001), c.authExpiredCodes());
        assertEquals("http://127.0.0.1:9", c.settings().baseUrl().toString());
    }

    @Test
    void fromEnv_missingOrBadValues_nameTheVariable() {
        assertMessage(VivoConfig.APP_KEY, Map.of(VivoConfig.APP_ID, "1"));
        assertMessage(VivoConfig.APP_SECRET, Map.of(VivoConfig.APP_ID, "1", VivoConfig.APP_KEY, "k"));
        assertMessage("IMPUSH_VIVO_QUOTA_ZONE", Map.of(VivoConfig.APP_ID, "1", VivoConfig.APP_KEY, "k",
                VivoConfig.APP_SECRET, "s", "IMPUSH_VIVO_QUOTA_ZONE", "Mars/Base"));
        assertMessage(VivoConfig.SKIP_CONTENT, Map.of(VivoConfig.APP_ID, "1", VivoConfig.APP_KEY, "k",
                VivoConfig.APP_SECRET, "s", VivoConfig.SKIP_TYPE, "4"));
        assertMessage(VivoConfig.CLASSIFICATION, Map.of(VivoConfig.APP_ID, "1", VivoConfig.APP_KEY, "k",
                VivoConfig.APP_SECRET, "s", VivoConfig.CLASSIFICATION, "2"));
    }

    private static void assertMessage(String variable, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> VivoConfig.fromEnv(Env.of(env)));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
    }
}
