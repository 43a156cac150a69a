package dev.impush.worker.channel.oppo;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OppoConfigTest {

    @Test
    void fromEnv_withoutAppKey_isEmpty() {
        assertTrue(OppoConfig.fromEnv(Env.of(Map.of())).isEmpty());
    }

    @Test
    void fromEnv_credentialsOnly_usesImDefaults() {
        OppoConfig c = OppoConfig.fromEnv(Env.of(Map.of(OppoConfig.APP_KEY, "k", OppoConfig.MASTER_SECRET, "topsecret")))
                .orElseThrow();

        assertEquals(OppoConfig.DEFAULT_BASE_URL, c.settings().baseUrl().toString());
        assertEquals(new OppoConfig.Classification("impush_im", "IM", 2), c.im());
        assertEquals(Duration.ofHours(23), c.authTokenLifetime());
        assertEquals("Asia/Shanghai", c.settings().quotaZone().getId());
        assertFalse(c.toString().contains("topsecret"));
    }

    @Test
    void fromEnv_overrides_areApplied(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("master"), "from-file\n");
        OppoConfig c = OppoConfig.fromEnv(Env.of(Map.of(OppoConfig.APP_KEY, "k",
                OppoConfig.MASTER_SECRET_FILE, f.toString(),
                OppoConfig.BASE_URL, OppoConfig.OVERSEAS_BASE_URL,
                OppoConfig.CHANNEL_ID, "chat", OppoConfig.CATEGORY, "none", OppoConfig.NOTIFY_LEVEL, "16",
                OppoConfig.CLICK_ACTION_TYPE, "4", OppoConfig.CLICK_ACTION_ACTIVITY, "dev.impush.ChatActivity"))).orElseThrow();

        assertEquals("from-file", c.masterSecret());
        assertEquals(OppoConfig.OVERSEAS_BASE_URL, c.settings().baseUrl().toString());
        assertEquals(new OppoConfig.Classification("chat", "", 16), c.im());
        assertEquals(4, c.click().type());
    }

    @Test
    void fromEnv_missingOrBadValues_nameTheVariable() {
        assertMessage(OppoConfig.MASTER_SECRET, Map.of(OppoConfig.APP_KEY, "k"));
        assertMessage(OppoConfig.CLICK_ACTION_TYPE, Map.of(OppoConfig.APP_KEY, "k", OppoConfig.MASTER_SECRET, "s",
                OppoConfig.CLICK_ACTION_TYPE, "2"));
        assertMessage(OppoConfig.BASE_URL, Map.of(OppoConfig.APP_KEY, "k", OppoConfig.MASTER_SECRET, "s",
                OppoConfig.BASE_URL, "not a url"));
        assertMessage("IMPUSH_OPPO_TIMEOUT_MS", Map.of(OppoConfig.APP_KEY, "k", OppoConfig.MASTER_SECRET, "s",
                "IMPUSH_OPPO_TIMEOUT_MS", "0"));
    }

    private static void assertMessage(String variable, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> OppoConfig.fromEnv(Env.of(env)));
        assertTrue(e.getMessage().contains(variable), e.getMessage());
    }
}
