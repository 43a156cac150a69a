package dev.impush.worker.channel.honor;

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

/** Deliveries and configuration for Honor tests. */
final class HonorFixtures {
    /** 20:00 in Shanghai: the daily quota resets at 2026-03-01T16:00Z. */
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String APP_ID = "104400001";
    static final String CLIENT_ID = "honor-client-1";
    static final String CLIENT_SECRET = "honor-secret-0123456789";
    static final String PACKAGE = "dev.impush.demo";

    private HonorFixtures() {}

    static Notification notification(String messageId, String title, String body, boolean silent) {
        return new Notification(title, body, 3, "default", "c-" + messageId, "conv-1", Priority.HIGH, silent,
                Map.of("deepLink", "impush://conv/1"));
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        PushTarget target = new PushTarget(deviceId, Channel.HONOR, token, PACKAGE, false);
        return new Delivery(PushJob.of(messageId, "user-1", "conv-1", n, List.of(target), NOW, expiresAt), target);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return delivery(messageId, deviceId, token, notification(messageId, "Alice", "hello", false),
                NOW.plusSeconds(3600));
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
