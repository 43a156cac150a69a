package dev.impush.worker.channel.harmony;

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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HarmonyConfigTest {

    @Test
    void fromEnv_withoutServiceAccount_isDisabled() {
        assertEquals(Optional.empty(), HarmonyConfig.fromEnv(Env.of(Map.of(HarmonyConfig.CATEGORY, "IM"))));
    }

    @Test
    void fromEnv_defaults() {
        HarmonyConfig c = HarmonyFixtures.config(Map.of());

        assertEquals(HarmonyFixtures.PROJECT_ID, c.projectId());
        assertEquals(URI.create("https://push-api.cloud.huawei.com/v3/" + HarmonyFixtures.PROJECT_ID + "/messages:send"),
                c.sendUrl());
        assertEquals("IM", c.category());
        assertEquals(HarmonyConfig.CallPush.VOIP, c.calls());
        assertFalse(c.foregroundShow());
        assertFalse(c.testMessage());
        assertEquals(Duration.ofDays(15), c.maxTtl());
        assertEquals(Duration.ofHours(1), c.jwtLifetime());
        assertEquals(Set.of("80300007"), c.invalidTokenCodes());
        assertEquals(Set.of("80200005", "80200001"), c.authExpiredCodes());
        assertTrue(c.keepTokenReasons().contains("noPushTypeRight"));
    }

    @Test
    void fromEnv_readsTheKeyFileAndEverySetting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agc-apiclient.json");
        Files.writeString(file, HarmonyFixtures.SERVICE_ACCOUNT);

        HarmonyConfig c = HarmonyConfig.fromEnv(Env.of(Map.ofEntries(
                Map.entry(HarmonyConfig.SERVICE_ACCOUNT_FILE, file.toString()),
                Map.entry(HarmonyConfig.PROJECT_ID, "101"),
                Map.entry(HarmonyConfig.PUSH_URL, "http://127.0.0.1:9/prefix"),
                Map.entry(HarmonyConfig.CATEGORY, "WORK"),
                Map.entry(HarmonyConfig.CLICK_ACTION, "com.example.action.OPEN_CHAT"),
                Map.entry(HarmonyConfig.CALLS, "notification"),
                Map.entry(HarmonyConfig.FOREGROUND_SHOW, "true"),
                Map.entry(HarmonyConfig.TEST_MESSAGE, "true"),
                Map.entry(HarmonyConfig.RECEIPT_ID, "RCP1"),
                Map.entry(HarmonyConfig.MAX_TTL_S, "600"),
                Map.entry(HarmonyConfig.JWT_LIFETIME_S, "7200"),
                Map.entry(HarmonyConfig.INVALID_TOKEN_CODES, "80300007,80300099"),
                Map.entry(HarmonyConfig.AUTH_EXPIRED_CODES, "80200005"),
                Map.entry(HarmonyConfig.DAILY_QUOTA_CODES, "none"),
                Map.entry(HarmonyConfig.KEEP_TOKEN_REASONS, "noRight, countryNotSupport")))).orElseThrow();

        assertEquals(URI.create("http://127.0.0.1:9/prefix/v3/101/messages:send"), c.sendUrl());
        assertEquals("WORK", c.category());
        assertEquals(Optional.of("com.example.action.OPEN_CHAT"), c.clickAction());
        assertEquals(HarmonyConfig.CallPush.NOTIFICATION, c.calls());
        assertTrue(c.foregroundShow());
        assertTrue(c.testMessage());
        assertEquals(Optional.of("RCP1"), c.receiptId());
        assertEquals(Duration.ofMinutes(10), c.maxTtl());
        assertEquals(Duration.ofHours(2), c.jwtLifetime());
        assertEquals(Set.of("80300007", "80300099"), c.invalidTokenCodes());
        assertEquals(Set.of("80200005"), c.authExpiredCodes());
        assertEquals(Set.of(), c.dailyQuotaCodes());
        assertEquals(Set.of("noRight", "countryNotSupport"), c.keepTokenReasons());
    }

    @Test
    void fromEnv_wrongValues_nameTheKeyNeverTheSecret() {
        ConfigException bad = assertThrows(ConfigException.class, () -> HarmonyConfig.fromEnv(Env.of(Map.of(
                HarmonyConfig.SERVICE_ACCOUNT, "{\"key_id\":\"k\",\"sub_account\":\"s\",\"private_key\":\"sekrit\"}"))));
        assertTrue(bad.getMessage().startsWith(HarmonyConfig.SERVICE_ACCOUNT + ": private_key"), bad.getMessage());
        assertFalse(bad.getMessage().contains("sekrit"), bad.getMessage());

        ConfigException noProject = assertThrows(ConfigException.class, () -> HarmonyConfig.fromEnv(Env.of(Map.of(
                HarmonyConfig.SERVICE_ACCOUNT, HarmonyFixtures.SERVICE_ACCOUNT.replace("project_id", "other")))));
        assertTrue(noProject.getMessage().contains(HarmonyConfig.PROJECT_ID), noProject.getMessage());

        assertThrows(ConfigException.class, () -> HarmonyFixtures.config(Map.of(HarmonyConfig.CATEGORY, "im")));
        assertThrows(ConfigException.class, () -> HarmonyFixtures.config(Map.of(HarmonyConfig.JWT_LIFETIME_S, "172800")));
        assertThrows(ConfigException.class, () -> HarmonyFixtures.config(Map.of(HarmonyConfig.MAX_TTL_S, "1296001")));
        assertThrows(ConfigException.class, () -> HarmonyFixtures.config(Map.of(HarmonyConfig.CALLS, "pushkit")));
    }
}
