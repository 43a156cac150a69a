package dev.impush.worker.channel.oppo;

import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Instant;
import java.util.Map;

/** Deliveries for oppo tests. */
final class OppoFixtures {
    static final Instant NOW = VendorFixtures.NOW;

    private OppoFixtures() {}

    static Notification notification(String messageId, String title, String body, Map<String, String> data) {
        return VendorFixtures.notification(messageId, title, body, false, data);
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        return VendorFixtures.delivery(Channel.OPPO, messageId, deviceId, token, n, expiresAt);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return VendorFixtures.delivery(Channel.OPPO, messageId, deviceId, token);
    }
}
