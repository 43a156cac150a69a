package dev.impush.worker.channel.webpush;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.BodyFit;
import dev.impush.worker.channel.http.DeliveryIds;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * What a web app's service worker receives (decrypted), and the RFC 8030 headers around it.
 *
 * <p>Shape: {@code {"title", "body", "tag", "badge", "silent", "passive", "call", "localized": {...},
 * "data": {<data>, "messageId", "conversationId"}}}, absent fields omitted. {@code tag} is the
 * notification's collapse key, for {@code showNotification(title, {tag})}, so an update replaces the
 * notification it updates. At most {@link PayloadEncryption#MAX_PLAINTEXT} bytes: the body is trimmed to fit.
 */
final class WebPushPayload {
    /** Push services keep a message at most 28 days (FCM's limit; the others' are shorter or equal). */
    static final Duration MAX_TTL = Duration.ofDays(28);
    static final Duration DEFAULT_TTL = Duration.ofDays(1);
    /** RFC 8030 §5.4: a topic is at most 32 characters of the URL-safe base64 alphabet. */
    static final int TOPIC_CHARS = 32;

    private final Clock clock;

    WebPushPayload(Clock clock) {
        this.clock = clock;
    }

    /** The JSON the service worker gets; empty when not even an empty body fits (custom data too large). */
    Optional<byte[]> render(Delivery delivery) {
        Notification n = delivery.notification();
        String body = n.body() == null ? "" : n.body();
        return BodyFit.longestFitting(body, PayloadEncryption.MAX_PLAINTEXT, text -> json(delivery, text))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode json(Delivery delivery, String body) {
        Notification n = delivery.notification();
        ObjectNode o = Json.mapper().createObjectNode();
        if (n.title() != null) {
            o.put("title", n.title());
        }
        if (!body.isEmpty()) {
            o.put("body", body);
        }
        o.put("tag", DeliveryIds.collapseKey(delivery));
        if (n.badge() != null) {
            o.put("badge", n.badge());
        }
        if (n.silent()) {
            o.put("silent", true);
        }
        if (n.passive()) {
            o.put("passive", true);
        }
        if (n.call()) {
            o.put("call", true);
        }
        LocalizedText l = n.localized();
        if (l != null) {
            o.set("localized", Json.mapper().valueToTree(l));
        }
        ObjectNode data = o.putObject("data");
        DeliveryIds.dataWithIds(delivery).forEach(data::put);
        return o;
    }

    /** {@code TTL}: how long the push service keeps it for an offline browser, the job's time left (RFC 8030 §5.2). */
    long ttlSeconds(Delivery delivery) {
        return delivery.expiresAt() == null ? DEFAULT_TTL.toSeconds()
                : delivery.timeLeft(clock.instant(), Duration.ZERO, MAX_TTL).toSeconds();
    }

    /** {@code Urgency} (RFC 8030 §5.3): {@code high} for calls and high-priority messages. */
    static String urgency(Notification n) {
        return n.call() || n.priority() == Priority.HIGH ? "high" : n.silent() ? "low" : "normal";
    }

    /**
     * {@code Topic} (RFC 8030 §5.4): a newer push with the same topic replaces one the push service
     * still holds. The collapse key's SHA-256, its first 24 bytes in base64url: 32 characters.
     */
    static String topic(Delivery delivery) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    DeliveryIds.collapseKey(delivery).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 24));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
