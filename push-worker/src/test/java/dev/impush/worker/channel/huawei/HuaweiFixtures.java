package dev.impush.worker.channel.huawei;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.Delivery;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Deliveries and configuration for Huawei tests. */
final class HuaweiFixtures {
    /** 20:00 in Shanghai: the daily quota resets at 2026-03-01T16:00Z. */
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String APP_ID = "104000001";
    static final String APP_SECRET = "huawei-secret-0123456789";
    static final String PACKAGE = "dev.impush.demo";

    private HuaweiFixtures() {}

    static Notification notification(String messageId, String title, String body, boolean silent) {
        return new Notification(title, body, 3, "default", "c-" + messageId, "conv-1", Priority.HIGH, silent,
                Map.of("deepLink", "impush://conv/1"));
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        PushTarget target = new PushTarget(deviceId, Channel.HUAWEI, token, PACKAGE, false);
        return new Delivery(PushJob.of(messageId, "user-1", "conv-1", n, List.of(target), NOW, expiresAt), target);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return delivery(messageId, deviceId, token, notification(messageId, "Alice", "hello", false),
                NOW.plusSeconds(3600));
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
