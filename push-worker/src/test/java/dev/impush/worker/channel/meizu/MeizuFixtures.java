package dev.impush.worker.channel.meizu;

import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Instant;

/** Deliveries for Meizu tests. */
final class MeizuFixtures {
    static final Instant NOW = VendorFixtures.NOW;
    static final String APP_ID = "100999";
    static final String SECRET = "meizu-secret-abcdef";

    private MeizuFixtures() {}

    static Notification notification(String messageId, String title, String body, boolean silent) {
        return VendorFixtures.notification(messageId, title, body, silent, VendorFixtures.DEEP_LINK);
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        return VendorFixtures.delivery(Channel.MEIZU, messageId, deviceId, token, n, expiresAt);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return VendorFixtures.delivery(Channel.MEIZU, messageId, deviceId, token);
    }
}
