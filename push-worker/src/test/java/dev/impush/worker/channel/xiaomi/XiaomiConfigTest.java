package dev.impush.worker.channel.xiaomi;

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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XiaomiConfigTest {

    @Test
    void fromEnv_noSecret_isDisabled() {
        assertTrue(XiaomiConfig.fromEnv(Env.of(Map.of(XiaomiConfig.CHANNEL_ID, "c"))).isEmpty());
    }

    @Test
    void fromEnv_secretAndChannel_readsEverySettingWithDefaults() {
        XiaomiConfig c = XiaomiConfig.fromEnv(Env.of(Map.of(XiaomiConfig.APP_SECRET, "s3cret",
                XiaomiConfig.CHANNEL_ID, "im", XiaomiConfig.CHANNEL_IDS, "a.b=im2, c.d=im3"))).orElseThrow();

        assertEquals("s3cret", c.appSecret());
        assertEquals(URI.create("https://api.xmpush.xiaomi.com"), c.settings().baseUrl());
        assertEquals("im2", c.channelIdFor("a.b"));
        assertEquals("im", c.channelIdFor("x.y"));
        assertEquals(Duration.ofSeconds(10), c.settings().requestTimeout());
        assertEquals(Duration.ofSeconds(60), c.settings().rateLimitBackoff());
        assertEquals(ZoneId.of("Asia/Shanghai"), c.settings().quotaZone());
        assertTrue(c.codeOverrides().isEmpty());
        assertFalse(c.toString().contains("s3cret"), c::toString);
    }

    @Test
    void fromEnv_secretFileAndOverrides_areRead(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "from-file\n");

        XiaomiConfig c = XiaomiConfig.fromEnv(Env.of(Map.of(XiaomiConfig.APP_SECRET_FILE, file.toString(),
                XiaomiConfig.CHANNEL_ID, "im", XiaomiConfig.BASE_URL, "http://127.0.0.1:9000/",
                XiaomiConfig.CODE_OVERRIDES, "20301=rejected,10034=daily-quota",
                "IMPUSH_XIAOMI_QUOTA_ZONE", "UTC"))).orElseThrow();

        assertEquals("from-file", c.appSecret());
        assertEquals(URI.create("http://127.0.0.1:9000"), c.settings().baseUrl());
        assertEquals(Map.of(20301, XiaomiConfig.CodeClass.REJECTED, 10034, XiaomiConfig.CodeClass.DAILY_QUOTA),
                c.codeOverrides());
        assertEquals(ZoneId.of("UTC"), c.settings().quotaZone());
    }

    @Test
    void fromEnv_badValues_nameTheVariable() {
        assertMessageNames(XiaomiConfig.CHANNEL_ID, Map.of(XiaomiConfig.APP_SECRET, "s"));
        Map<String, String> ok = Map.of(XiaomiConfig.APP_SECRET, "s", XiaomiConfig.CHANNEL_ID, "c");
        assertMessageNames(XiaomiConfig.BASE_URL, with(ok, XiaomiConfig.BASE_URL, "ftp://x/y"));
        assertMessageNames("IMPUSH_XIAOMI_TIMEOUT_MS", with(ok, "IMPUSH_XIAOMI_TIMEOUT_MS", "0"));
        assertMessageNames("IMPUSH_XIAOMI_QUOTA_ZONE", with(ok, "IMPUSH_XIAOMI_QUOTA_ZONE", "Mars/Olympus"));
        assertMessageNames(XiaomiConfig.CODE_OVERRIDES, with(ok, XiaomiConfig.CODE_OVERRIDES, "20301=maybe"));
        assertMessageNames(XiaomiConfig.CHANNEL_IDS, with(ok, XiaomiConfig.CHANNEL_IDS, "a.b"));
        assertMessageNames(XiaomiConfig.APP_SECRET_FILE, with(ok, XiaomiConfig.APP_SECRET_FILE, "/nope"));
    }

    private static Map<String, String> with(Map<String, String> base, String k, String v) {
        var m = new java.util.HashMap<>(base);
        m.put(k, v);
        return m;
    }

    private static void assertMessageNames(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> XiaomiConfig.fromEnv(Env.of(env)));
        assertTrue(e.getMessage().contains(key), e::getMessage);
    }
}
