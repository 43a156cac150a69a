package dev.impush.worker.channel.honor;

import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Deliveries and configuration for Honor tests. */
final class HonorFixtures {
    static final Instant NOW = VendorFixtures.NOW;
    static final String APP_ID = "104400001";
    static final String CLIENT_ID = "honor-client-1";
    static final String CLIENT_SECRET = "honor-secret-0123456789";
    static final String PACKAGE = VendorFixtures.PACKAGE;

    private HonorFixtures() {}

    static Notification notification(String messageId, String title, String body, boolean silent) {
        return VendorFixtures.notification(messageId, title, body, silent, VendorFixtures.DEEP_LINK);
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        return VendorFixtures.delivery(Channel.HONOR, messageId, deviceId, token, n, expiresAt);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return VendorFixtures.delivery(Channel.HONOR, messageId, deviceId, token);
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(HonorConfig.APP_ID, APP_ID);
        env.put(HonorConfig.CLIENT_ID, CLIENT_ID);
        env.put(HonorConfig.CLIENT_SECRET, CLIENT_SECRET);
        return env;
    }

    static HonorConfig config(Map<String, String> overrides) {
        Map<String, String> env = env();
        env.putAll(overrides);
        return HonorConfig.fromEnv(Env.of(env)).orElseThrow();
    }
}
