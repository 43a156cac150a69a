package dev.impush.worker.channel.honor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HonorConfigTest {

    @Test
    void fromEnv_withoutAppId_isDisabled() {
        assertTrue(HonorConfig.fromEnv(Env.of(Map.of())).isEmpty());
    }

    @Test
    void fromEnv_minimal_usesRealHostsAndImDefaults() {
        HonorConfig c = HonorFixtures.config(Map.of());

        assertEquals(HonorConfig.DEFAULT_TOKEN_URL, c.tokenUrl());
        assertEquals("https://push-api.cloud.honor.com/api/v1/" + HonorFixtures.APP_ID + "/sendMessage",
                c.sendUrl().toString());
        assertEquals("NORMAL", c.importance());
        assertEquals(HonorConfig.DEFAULT_CODES, c.codes());
        assertEquals(ZoneId.of("Asia/Shanghai"), c.settings().quotaZone());
        assertTrue(c.codes().dailyQuota().isEmpty());
        assertFalse(c.toString().contains(HonorFixtures.CLIENT_SECRET));
    }

    @Test
    void fromEnv_secretFile_isRead(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("secret"), "from-file\n");
        Env env = Env.of(Map.of(HonorConfig.APP_ID, "1", HonorConfig.CLIENT_ID, "c", HonorConfig.CLIENT_SECRET_FILE, f.toString()));

        assertEquals("from-file", HonorConfig.fromEnv(env).orElseThrow().clientSecret().value());
    }

    @Test
    void fromEnv_badValues_nameTheVariable() {
        assertMessageNames(HonorConfig.CLIENT_ID, Map.of(HonorConfig.APP_ID, "1"));
        assertMessageNames(HonorConfig.CLIENT_SECRET, Map.of(HonorConfig.APP_ID, "1", HonorConfig.CLIENT_ID, "c"));
        assertMessageNames(HonorConfig.IMPORTANCE, Map.of(HonorConfig.IMPORTANCE, "HIGH"));
        assertMessageNames(HonorConfig.INVALID_TOKEN_CODES, Map.of(HonorConfig.INVALID_TOKEN_CODES, "abc"));
        assertMessageNames(HonorConfig.PUSH_URL, Map.of(HonorConfig.PUSH_URL, "push-api"));
        assertMessageNames(HonorConfig.DAILY_QUOTA_CODES, Map.of(HonorConfig.DAILY_QUOTA_CODES, "80300099,x"));
        assertMessageNames("IMPUSH_HONOR_QUOTA_ZONE", Map.of("IMPUSH_HONOR_QUOTA_ZONE", "Mars/Base"));
        assertMessageNames("IMPUSH_HONOR_TIMEOUT_MS", Map.of("IMPUSH_HONOR_TIMEOUT_MS", "0"));
    }

    private static void assertMessageNames(String key, Map<String, String> overrides) {
        Map<String, String> env = overrides.containsKey(HonorConfig.APP_ID) ? overrides : merged(overrides);
        ConfigException e = assertThrows(ConfigException.class, () -> HonorConfig.fromEnv(Env.of(env)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    private static Map<String, String> merged(Map<String, String> overrides) {
        Map<String, String> env = HonorFixtures.env();
        env.putAll(overrides);
        return env;
    }
}
