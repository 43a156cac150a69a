package dev.impush.worker.channel.fcm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.BodyFit;
import dev.impush.worker.channel.http.DeliveryIds;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Renders a {@link Delivery} as an FCM HTTP v1 request body ({@code {"message": {...}}}) for
 * Android. Stateless apart from the clock; thread-safe.
 *
 * <ul>
 *   <li>{@code data}: the notification's data, plus {@code messageId} always and
 *       {@code conversationId} when the job has one (the app routes the tap with them); keys FCM
 *       reserves are dropped, since FCM would refuse the whole message for them.</li>
 *   <li>{@code android.collapse_key} and the notification {@code tag} are the collapse id, so a
 *       re-sent message replaces itself on the device instead of showing twice.</li>
 *   <li>Silent pushes are data-only: no notification block, the app wakes and decides.</li>
 *   <li>{@code ttl} is the time left until the job expires, clamped to FCM's 0–28 days.</li>
 *   <li>FCM refuses messages over {@value #MAX_BYTES} bytes; the body text is trimmed to fit.</li>
 * </ul>
 */
final class FcmMessage {
    /** FCM: "maximum payload for both message types is 4096 bytes" (the message, as the mock measures). */
    static final int MAX_BYTES = 4096;
    /** FCM: android.ttl accepts 0 to 2,419,200 s (28 days), which is also its default. */
    static final Duration MAX_TTL = Duration.ofDays(28);

    private final Clock clock;

    FcmMessage(Clock clock) {
        this.clock = clock;
    }

    /**
     * The request body's JSON text, {@code {"message":...}} around the message that fits the limit, or
     * empty when even an empty body text would exceed it (custom data too large).
     */
    Optional<String> render(Delivery delivery) {
        String body = delivery.notification().body() == null ? "" : delivery.notification().body();
        return BodyFit.longestFitting(body, MAX_BYTES, text -> message(delivery, text))
                .map(message -> "{\"message\":" + message + "}");
    }

    ObjectNode message(Delivery delivery, String body) {
        Notification n = delivery.notification();
        ObjectNode message = Json.mapper().createObjectNode();
        message.put("token", delivery.target().token());
        ObjectNode data = message.putObject("data");
        for (Map.Entry<String, String> e : DeliveryIds.dataWithIds(delivery).entrySet()) {
            if (!reserved(e.getKey())) {
                data.put(e.getKey(), e.getValue());
            }
        }
        ObjectNode android = message.putObject("android");
        android.put("priority", n.priority() == Priority.NORMAL ? "normal" : "high");
        android.put("restricted_package_name", delivery.target().appId());
        if (delivery.expiresAt() != null) {
            android.put("ttl", delivery.timeLeft(clock.instant(), Duration.ZERO, MAX_TTL).toSeconds() + "s");
        }
        if (n.collapseId() != null) {
            android.put("collapse_key", n.collapseId());
        }
        // a call and a content-free push are data only: the app shows its call UI, or fetches the message
        if (!n.silent() && !n.call() && !n.contentFree()) {
            ObjectNode shown = android.putObject("notification");
            shown.put("title", n.title());
            shown.put("body", body);
            if (n.collapseId() != null) {
                shown.put("tag", n.collapseId());
            }
            if (n.sound() != null) {
                shown.put("sound", n.sound());
            }
            if (n.passive()) {
                shown.put("notification_priority", "PRIORITY_LOW"); // no heads-up, no sound (quiet hours)
            }
            LocalizedText l = n.localized();
            if (l != null && l.titleKey() != null) {
                shown.put("title_loc_key", l.titleKey());
                l.titleArgs().forEach(shown.putArray("title_loc_args")::add);
            }
            if (l != null && l.bodyKey() != null) {
                shown.put("body_loc_key", l.bodyKey());
                l.bodyArgs().forEach(shown.putArray("body_loc_args")::add);
            }
        }
        return message;
    }

    /** FCM rejects the whole message (INVALID_ARGUMENT) for these data keys. */
    private static boolean reserved(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals("from") || k.equals("notification") || k.equals("message_type")
                || k.startsWith("google") || k.startsWith("gcm");
    }
}
