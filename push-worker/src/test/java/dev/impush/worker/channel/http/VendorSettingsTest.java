package dev.impush.worker.channel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.SendOutcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VendorSettingsTest {
    private static final VendorSettings DEFAULTS = VendorSettings.defaults("https://push.vendor.example");
    private static final Instant NOW = Instant.parse("2026-03-01T15:30:00Z");

    @Test
    void fromEnv_unset_keepsTheVendorsDefaults() {
        VendorSettings s = VendorSettings.fromEnv(Env.of(Map.of()), "IMPUSH_X_", "IMPUSH_X_BASE_URL", DEFAULTS);

        assertEquals(DEFAULTS, s);
        assertEquals(Duration.ofSeconds(10), s.requestTimeout());
        assertEquals(Duration.ofSeconds(60), s.rateLimitBackoff());
        assertEquals(ZoneId.of("Asia/Shanghai"), s.quotaZone());
    }

    @Test
    void fromEnv_readsThePrefixedKeys() {
        VendorSettings s = VendorSettings.fromEnv(Env.of(Map.of("IMPUSH_X_BASE_URL", "http://127.0.0.1:9/",
                "IMPUSH_X_TIMEOUT_MS", "1500", "IMPUSH_X_RATE_LIMIT_BACKOFF_MS", "0",
                "IMPUSH_X_QUOTA_ZONE", "UTC", "IMPUSH_X_MAX_CONCURRENCY", "16")), "IMPUSH_X_", "IMPUSH_X_BASE_URL",
                DEFAULTS);

        assertEquals(new VendorSettings(URI.create("http://127.0.0.1:9"), Duration.ofMillis(1500), Duration.ZERO,
                ZoneId.of("UTC"), 16), s);
    }

    @Test
    void fromEnv_wrongValues_nameTheKey() {
        assertNames("IMPUSH_X_BASE_URL", Map.of("IMPUSH_X_BASE_URL", "push.vendor.example"));
        assertNames("IMPUSH_X_BASE_URL", Map.of("IMPUSH_X_BASE_URL", "http://h:1/p?q=1"));
        assertNames("IMPUSH_X_TIMEOUT_MS", Map.of("IMPUSH_X_TIMEOUT_MS", "0"));
        assertNames("IMPUSH_X_RATE_LIMIT_BACKOFF_MS", Map.of("IMPUSH_X_RATE_LIMIT_BACKOFF_MS", "-1"));
        assertNames("IMPUSH_X_QUOTA_ZONE", Map.of("IMPUSH_X_QUOTA_ZONE", "Mars/Base"));
        assertNames("IMPUSH_X_MAX_CONCURRENCY", Map.of("IMPUSH_X_MAX_CONCURRENCY", "0"));
    }

    @Test
    void url_keepsAPathPrefix_andDropsTrailingSlashes() {
        VendorSettings proxied = new VendorSettings(URI.create("http://egress:8080/vendors/huawei//"),
                Duration.ofSeconds(1), Duration.ZERO, ZoneId.of("UTC"), 1);

        assertEquals(URI.create("http://egress:8080/vendors/huawei/v1/app/messages:send"),
                proxied.url("/v1/app/messages:send"));
        assertEquals(URI.create("https://push.vendor.example/message/send"), DEFAULTS.url("/message/send"));
    }

    @Test
    void rateLimited_prefersRetryAfter_quotaWaitsForTheVendorsMidnight() {
        assertEquals(NOW.plusSeconds(60), DEFAULTS.rateLimited(NOW, "r").until());
        assertEquals(NOW.plusSeconds(7), DEFAULTS.rateLimited(NOW, Optional.of(Duration.ofSeconds(7)), "r").until());
        // 15:30 UTC is 23:30 in Shanghai: the quota resets in 30 minutes, not at UTC midnight
        SendOutcome.RateLimited quota = DEFAULTS.quotaUsedUp(NOW, "daily");
        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), quota.until());
        assertEquals("daily", quota.reason());
    }

    private static void assertNames(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> VendorSettings.fromEnv(Env.of(env), "IMPUSH_X_", "IMPUSH_X_BASE_URL", DEFAULTS));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
