package dev.impush.worker.channel.xiaomi;

import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Instant;

/** Deliveries for Xiaomi tests. */
final class XiaomiFixtures {
    static final Instant NOW = VendorFixtures.NOW;
    static final String PACKAGE = VendorFixtures.PACKAGE;
    static final String SECRET = "xiaomi-secret-0123456789";
    static final String CHANNEL_ID = "im_private";

    private XiaomiFixtures() {}

    static Notification notification(String messageId, String title, String body, boolean silent) {
        return VendorFixtures.notification(messageId, title, body, silent, VendorFixtures.DEEP_LINK);
    }

    static Delivery delivery(String messageId, String deviceId, String token, Notification n, Instant expiresAt) {
        return VendorFixtures.delivery(Channel.XIAOMI, messageId, deviceId, token, n, expiresAt);
    }

    static Delivery delivery(String messageId, String deviceId, String token) {
        return VendorFixtures.delivery(Channel.XIAOMI, messageId, deviceId, token);
    }
}
