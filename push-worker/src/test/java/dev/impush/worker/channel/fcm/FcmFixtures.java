package dev.impush.worker.channel.fcm;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Deliveries for FCM tests. */
final class FcmFixtures {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String APP_ID = "dev.impush.demo";

    private FcmFixtures() {}

    static Notification notification(String messageId, String body, Priority priority, boolean silent) {
        return new Notification("Alice", body, 3, "default", "c-" + messageId, "conv-1", priority, silent,
                Map.of("deepLink", "impush://conv/1"));
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        PushTarget target = new PushTarget(deviceId, Channel.FCM, token, APP_ID, false);
        return new Delivery(PushJob.of(messageId, "user-1", "conv-1", n, List.of(target), NOW, expiresAt), target);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return delivery(messageId, deviceId, token, notification(messageId, "hello", Priority.HIGH, false),
                NOW.plusSeconds(3600));
    }
}
