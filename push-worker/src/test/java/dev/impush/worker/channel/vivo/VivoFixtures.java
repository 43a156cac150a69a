package dev.impush.worker.channel.vivo;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Deliveries for vivo tests. */
final class VivoFixtures {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private VivoFixtures() {}

    static Notification notification(String messageId, String title, String body, Map<String, String> data) {
        return new Notification(title, body, 3, "default", "c-" + messageId, "conv-1", Priority.HIGH, false, data);
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        PushTarget target = new PushTarget(deviceId, Channel.VIVO, token, "dev.impush.demo", false);
        return new Delivery(PushJob.of(messageId, "user-1", "conv-1", n, List.of(target), NOW, expiresAt), target);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return delivery(messageId, deviceId, token,
                notification(messageId, "Alice", "hello", Map.of("deepLink", "impush://conv/1")), NOW.plusSeconds(3600));
    }
}
