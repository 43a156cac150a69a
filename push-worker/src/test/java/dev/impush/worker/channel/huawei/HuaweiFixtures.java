package dev.impush.worker.channel.huawei;

import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Deliveries and configuration for Huawei tests. */
final class HuaweiFixtures {
    static final Instant NOW = VendorFixtures.NOW;
    static final String APP_ID = "104000001";
    static final String APP_SECRET = "huawei-secret-0123456789";
    static final String PACKAGE = VendorFixtures.PACKAGE;

    private HuaweiFixtures() {}

    static Notification notification(String messageId, String title, String body, boolean silent) {
        return VendorFixtures.notification(messageId, title, body, silent, VendorFixtures.DEEP_LINK);
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        return VendorFixtures.delivery(Channel.HUAWEI, messageId, deviceId, token, n, expiresAt);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return VendorFixtures.delivery(Channel.HUAWEI, messageId, deviceId, token);
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put(HuaweiConfig.APP_ID, APP_ID);
        env.put(HuaweiConfig.APP_SECRET, APP_SECRET);
        return env;
    }

    static HuaweiConfig config(Map<String, String> overrides) {
        Map<String, String> env = env();
        env.putAll(overrides);
        return HuaweiConfig.fromEnv(Env.of(env)).orElseThrow();
    }
}
