package dev.impush.worker.channel.meizu;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Deliveries for Meizu tests. */
final class MeizuFixtures {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String APP_ID = "100999";
    static final String SECRET = "meizu-secret-abcdef";

    private MeizuFixtures() {}

    static Notification notification(String messageId, String title, String body, boolean silent) {
        return new Notification(title, body, 3, "default", "c-" + messageId, "conv-1", Priority.HIGH, silent,
                Map.of("deepLink", "impush://conv/1"));
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        PushTarget target = new PushTarget(deviceId, Channel.MEIZU, token, "dev.impush.demo", false);
        return new Delivery(PushJob.of(messageId, "user-1", "conv-1", n, List.of(target), NOW, expiresAt), target);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return delivery(messageId, deviceId, token, notification(messageId, "Alice", "hello", false),
                NOW.plusSeconds(3600));
    }
}
