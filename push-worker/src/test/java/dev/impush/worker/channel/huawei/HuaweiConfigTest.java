package dev.impush.worker.channel.huawei;

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

class HuaweiConfigTest {

    @Test
    void fromEnv_withoutAppId_isDisabled() {
        assertTrue(HuaweiConfig.fromEnv(Env.of(Map.of())).isEmpty());
    }

    @Test
    void fromEnv_minimal_usesRealHostsAndImDefaults() {
        HuaweiConfig c = HuaweiFixtures.config(Map.of());

        assertEquals(HuaweiConfig.DEFAULT_TOKEN_URL, c.tokenUrl());
        assertEquals("https://push-api.cloud.huawei.com/v1/" + HuaweiFixtures.APP_ID + "/messages:send",
                c.sendUrl().toString());
        assertEquals("IM", c.im().category().orElseThrow());
        assertEquals("NORMAL", c.im().importance());
        assertEquals(ZoneId.of("Asia/Shanghai"), c.settings().quotaZone());
        assertTrue(c.dailyQuotaCodes().isEmpty());
        assertFalse(c.toString().contains(HuaweiFixtures.APP_SECRET));
    }

    @Test
    void fromEnv_secretFile_isRead(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("secret"), "from-file\n");
        Env env = Env.of(Map.of(HuaweiConfig.APP_ID, "1", HuaweiConfig.APP_SECRET_FILE, f.toString()));

        assertEquals("from-file", HuaweiConfig.fromEnv(env).orElseThrow().appSecret().value());
    }

    @Test
    void fromEnv_badValues_nameTheVariable() {
        assertMessageNames(HuaweiConfig.APP_SECRET, Map.of(HuaweiConfig.APP_ID, "1"));
        assertMessageNames(HuaweiConfig.IMPORTANCE, Map.of(HuaweiConfig.IMPORTANCE, "LOUD"));
        assertMessageNames(HuaweiConfig.PUSH_URL, Map.of(HuaweiConfig.PUSH_URL, "push-api"));
        assertMessageNames(HuaweiConfig.DAILY_QUOTA_CODES, Map.of(HuaweiConfig.DAILY_QUOTA_CODES, "80300099,x"));
        assertMessageNames("IMPUSH_HUAWEI_QUOTA_ZONE", Map.of("IMPUSH_HUAWEI_QUOTA_ZONE", "Mars/Base"));
        assertMessageNames("IMPUSH_HUAWEI_TIMEOUT_MS", Map.of("IMPUSH_HUAWEI_TIMEOUT_MS", "0"));
    }

    private static void assertMessageNames(String key, Map<String, String> overrides) {
        Map<String, String> env = overrides.containsKey(HuaweiConfig.APP_ID) ? overrides : merged(overrides);
        ConfigException e = assertThrows(ConfigException.class, () -> HuaweiConfig.fromEnv(Env.of(env)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    private static Map<String, String> merged(Map<String, String> overrides) {
        Map<String, String> env = HuaweiFixtures.env();
        env.putAll(overrides);
        return env;
    }
}
