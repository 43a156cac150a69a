package dev.impush.worker.channel.harmony;

import dev.impush.model.Channel;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.VendorFixtures;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** Deliveries, a service account and configuration for HarmonyOS tests. */
final class HarmonyFixtures {
    static final Instant NOW = VendorFixtures.NOW;
    static final String PROJECT_ID = "388421841222199046";
    static final String KEY_ID = "6b6a1cbd2d1b4b6e9e0c7e0a4f3f4d21";
    static final String SUB_ACCOUNT = "1234567890";
    /** A key pair for the tests' service account (generated once per run). */
    static final KeyPair KEYS = keys();
    static final String SERVICE_ACCOUNT = serviceAccount(KEYS);

    private HarmonyFixtures() {}

    static String serviceAccount(KeyPair keys) {
        Map<String, String> json = new HashMap<>();
        json.put("project_id", PROJECT_ID);
        json.put("key_id", KEY_ID);
        json.put("private_key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        json.put("sub_account", SUB_ACCOUNT);
        json.put("token_uri", "https://oauth-login.cloud.huawei.com/oauth2/v3/token");
        return new String(Json.write(json), StandardCharsets.UTF_8);
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        return VendorFixtures.delivery(Channel.HARMONY, messageId, deviceId, token, n, expiresAt);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return VendorFixtures.delivery(Channel.HARMONY, messageId, deviceId, token);
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(HarmonyConfig.SERVICE_ACCOUNT, SERVICE_ACCOUNT);
        return env;
    }

    static HarmonyConfig config(Map<String, String> overrides) {
        Map<String, String> env = env();
        env.putAll(overrides);
        return HarmonyConfig.fromEnv(Env.of(env)).orElseThrow();
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
