package dev.impush.worker.channel.meizu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeizuConfigTest {

    @Test
    void fromEnv_noSecret_isDisabled() {
        assertTrue(MeizuConfig.fromEnv(Env.of(Map.of(MeizuConfig.APP_ID, "1"))).isEmpty());
    }

    @Test
    void fromEnv_credentials_readsEverySettingWithDefaults() {
        MeizuConfig c = MeizuConfig.fromEnv(Env.of(Map.of(MeizuConfig.APP_ID, "100999", MeizuConfig.APP_SECRET, "s3cret")))
                .orElseThrow();

        assertEquals("100999", c.appId());
        assertEquals("s3cret", c.appSecret());
        assertEquals(URI.create("https://server-api-push.meizu.com"), c.settings().baseUrl());
        assertEquals(1, c.noticeMsgType());
        assertEquals(Duration.ofSeconds(10), c.settings().requestTimeout());
        assertEquals(Duration.ofSeconds(60), c.settings().rateLimitBackoff());
        assertEquals(ZoneId.of("Asia/Shanghai"), c.settings().quotaZone());
        assertEquals(Set.of("110019", "110011"), c.dailyQuotaCodes());
        assertFalse(c.toString().contains("s3cret"), c::toString);
    }

    @Test
    void fromEnv_secretFileAndOverrides_areRead(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), " from-file \n");

        MeizuConfig c = MeizuConfig.fromEnv(Env.of(Map.of(MeizuConfig.APP_ID, "1", MeizuConfig.APP_SECRET_FILE,
                file.toString(), MeizuConfig.BASE_URL, "http://127.0.0.1:9000", MeizuConfig.DAILY_QUOTA_CODES, "110019",
                MeizuConfig.NOTICE_MSG_TYPE, "0"))).orElseThrow();

        assertEquals("from-file", c.appSecret());
        assertEquals(URI.create("http://127.0.0.1:9000"), c.settings().baseUrl());
        assertEquals(Set.of("110019"), c.dailyQuotaCodes());
        assertEquals(0, c.noticeMsgType());
    }

    @Test
    void fromEnv_badValues_nameTheVariable() {
        assertMessageNames(MeizuConfig.APP_ID, Map.of(MeizuConfig.APP_SECRET, "s"));
        Map<String, String> ok = Map.of(MeizuConfig.APP_ID, "1", MeizuConfig.APP_SECRET, "s");
        assertMessageNames(MeizuConfig.BASE_URL, with(ok, MeizuConfig.BASE_URL, "server-api-push.meizu.com"));
        assertMessageNames(MeizuConfig.NOTICE_MSG_TYPE, with(ok, MeizuConfig.NOTICE_MSG_TYPE, "2"));
        assertMessageNames("IMPUSH_MEIZU_TIMEOUT_MS", with(ok, "IMPUSH_MEIZU_TIMEOUT_MS", "0"));
        assertMessageNames("IMPUSH_MEIZU_QUOTA_ZONE", with(ok, "IMPUSH_MEIZU_QUOTA_ZONE", "Nowhere"));
        assertMessageNames(MeizuConfig.DAILY_QUOTA_CODES, with(ok, MeizuConfig.DAILY_QUOTA_CODES, "11x"));
        assertMessageNames(MeizuConfig.APP_SECRET_FILE, with(ok, MeizuConfig.APP_SECRET_FILE, "/nope"));
    }

    private static Map<String, String> with(Map<String, String> base, String k, String v) {
        Map<String, String> m = new HashMap<>(base);
        m.put(k, v);
        return m;
    }

    private static void assertMessageNames(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> MeizuConfig.fromEnv(Env.of(env)));
        assertTrue(e.getMessage().contains(key), e::getMessage);
    }
}
