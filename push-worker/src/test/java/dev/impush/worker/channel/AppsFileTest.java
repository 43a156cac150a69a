package dev.impush.worker.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.quota.QuotaLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppsFileTest {
    private static final String LITE = "com.example.lite";

    @TempDir
    Path dir;

    private Path appsFile(String... lines) throws Exception {
        return Files.writeString(dir.resolve("apps.properties"), String.join("\n", lines) + "\n");
    }

    /** Shared FCM (a static token: no network at start) and Xiaomi credentials, and the apps file. */
    private static Env env(Path apps, String... more) {
        Map<String, String> m = new HashMap<>(Map.of(
                "IMPUSH_FCM_ACCESS_TOKEN", "shared-token",
                "IMPUSH_FCM_PROJECT_ID", "impush-main",
                "IMPUSH_FCM_BASE_URL", "http://127.0.0.1:9",
                "IMPUSH_FCM_TIMEOUT_MS", "1234",
                "IMPUSH_XIAOMI_APP_SECRET", "shared-secret",
                "IMPUSH_XIAOMI_CHANNEL_ID", "im",
                AppsFile.KEY, apps.toString()));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return Env.of(m);
    }

    private static ConfigException refused(Env env) {
        return assertThrows(ConfigException.class, () -> Channels.fromEnv(env, Clock.systemUTC()).close());
    }

    private static PushTarget device(Channel channel, String app) {
        return new PushTarget("d-" + app, channel, "token", app, false);
    }

    @Test
    void anApp_inheritsTheSettings_butNeverTheCredentials_ofTheTopLevel() throws Exception {
        AppsFile file = AppsFile.read(appsFile(LITE + ".IMPUSH_FCM_ACCESS_TOKEN=lite-token",
                LITE + ".IMPUSH_FCM_PROJECT_ID=impush-lite"));
        Env lite = file.env(LITE, env(dir.resolve("apps.properties")));

        assertEquals(Optional.of("lite-token"), lite.optional("IMPUSH_FCM_ACCESS_TOKEN"));
        assertEquals(Optional.of("impush-lite"), lite.optional("IMPUSH_FCM_PROJECT_ID"));
        assertEquals(Optional.of("1234"), lite.optional("IMPUSH_FCM_TIMEOUT_MS"), "a setting is inherited");
        assertEquals(Optional.empty(), lite.optional("IMPUSH_XIAOMI_APP_SECRET"), "another vendor's secret is not");
        assertEquals(Optional.of("im"), lite.optional("IMPUSH_XIAOMI_CHANNEL_ID"));
        assertEquals(Set.of(Channel.FCM), file.credentialed(LITE));
    }

    @Test
    void aListedApp_usesItsOwnChannels_only_andAnyOtherAppTheShared() throws Exception {
        Env env = env(appsFile(LITE + ".IMPUSH_FCM_ACCESS_TOKEN=lite-token", LITE + ".IMPUSH_FCM_PROJECT_ID=impush-lite"));
        Channels channels = Channels.fromEnv(env, Clock.systemUTC());
        try {
            assertEquals(Set.of(VendorApp.shared(Channel.FCM), VendorApp.shared(Channel.XIAOMI),
                    VendorApp.of(Channel.FCM, LITE)), channels.all().keySet());
            assertEquals(VendorApp.of(Channel.FCM, LITE), channels.route(device(Channel.FCM, LITE)));
            assertEquals(VendorApp.shared(Channel.FCM), channels.route(device(Channel.FCM, "com.example.chat")));
            assertEquals(Optional.empty(), channels.missing(device(Channel.FCM, LITE)));

            String noXiaomi = channels.missing(device(Channel.XIAOMI, LITE)).orElseThrow();
            assertEquals("app com.example.lite has no xiaomi credentials in IMPUSH_APPS_FILE", noXiaomi,
                    "the shared Xiaomi app's secret would make the vendor call the lite app's token invalid");
            String noApns = channels.missing(device(Channel.APNS, "com.example.chat")).orElseThrow();
            assertTrue(noApns.startsWith("no apns channel is configured for app com.example.chat"), noApns);
            assertEquals(Set.of(Channel.FCM, Channel.XIAOMI), channels.vendors());
        } finally {
            channels.close();
        }
    }

    @Test
    void eachApp_hasItsOwnQuota_inheritedUnlessItSetsOne() throws Exception {
        Env env = env(appsFile(LITE + ".IMPUSH_FCM_ACCESS_TOKEN=lite-token", LITE + ".IMPUSH_FCM_PROJECT_ID=impush-lite",
                LITE + ".IMPUSH_FCM_QPS=10"), "IMPUSH_FCM_QPS", "100", "IMPUSH_XIAOMI_DAILY_QUOTA", "5000");
        Map<VendorApp, QuotaLimits> limits = QuotaLimits.fromEnv(env);

        assertEquals(100, limits.get(VendorApp.shared(Channel.FCM)).qps());
        assertEquals(10, limits.get(VendorApp.of(Channel.FCM, LITE)).qps());
        assertEquals(5000, limits.get(VendorApp.shared(Channel.XIAOMI)).dailyQuota());
        assertFalse(limits.containsKey(VendorApp.of(Channel.XIAOMI, LITE)), "no budget where the app has no channel");
    }

    @Test
    void aMissingKey_isAnError_namingTheFileTheAppAndTheKey_notInheritedFromTheTopLevel() throws Exception {
        Path key = Files.writeString(dir.resolve("AuthKey_LITE.p8"), "not read before the key id is checked");
        Path apps = appsFile(LITE + ".IMPUSH_APNS_KEY_FILE=" + key, LITE + ".IMPUSH_APNS_TEAM_ID=TEAM123456");

        ConfigException e = refused(env(apps, "IMPUSH_APNS_KEY_ID", "SHARED1234"));

        assertTrue(e.getMessage().startsWith("IMPUSH_APPS_FILE=" + apps + ", app com.example.lite: "), e.getMessage());
        assertTrue(e.getMessage().contains("IMPUSH_APNS_KEY_ID is required"), e.getMessage());
    }

    @Test
    void credentialsWithoutTheKeyThatTurnsTheChannelOn_areAnError() throws Exception {
        ConfigException e = refused(env(appsFile(LITE + ".IMPUSH_HUAWEI_APP_SECRET=lite-secret")));
        assertTrue(e.getMessage().contains("app com.example.lite: sets credentials of [HUAWEI] without the key"),
                e.getMessage());
        assertFalse(e.getMessage().contains("lite-secret"), "a secret is never in a message");
    }

    @Test
    void badFiles_areErrors_namingTheKey() throws Exception {
        ConfigException shape = assertThrows(ConfigException.class, () -> AppsFile.read(appsFile(
                LITE + ".IMPUSH_KAFKA_BOOTSTRAP_SERVERS=elsewhere:9092")));
        assertTrue(shape.getMessage().contains("'com.example.lite.IMPUSH_KAFKA_BOOTSTRAP_SERVERS' is not"
                + " <appId>.IMPUSH_<VENDOR>_<SETTING>"), shape.getMessage());

        ConfigException bare = assertThrows(ConfigException.class, () -> AppsFile.read(appsFile("IMPUSH_APNS_KEY_ID=X")));
        assertTrue(bare.getMessage().contains("'IMPUSH_APNS_KEY_ID' is not"), bare.getMessage());

        ConfigException noCredentials = assertThrows(ConfigException.class, () -> AppsFile.read(appsFile(
                LITE + ".IMPUSH_FCM_TIMEOUT_MS=500")));
        assertTrue(noCredentials.getMessage().contains("app com.example.lite: sets no vendor credentials"),
                noCredentials.getMessage());

        assertTrue(assertThrows(ConfigException.class, () -> AppsFile.read(appsFile("# nothing"))).getMessage()
                .endsWith("lists no app"));
        assertTrue(refused(env(dir.resolve("missing.properties"))).getMessage().contains("is not a readable file"));
    }
}
