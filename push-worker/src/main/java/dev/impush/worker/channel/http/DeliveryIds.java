package dev.impush.worker.channel.http;

import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ids and id-carrying data that vendor payloads derive from a {@link Delivery}. Every method is
 * a pure function of its input ({@link String#hashCode} is fixed by the JLS), so a resend of the same
 * message yields the same ids and replaces, rather than duplicates, the notification.
 */
public final class DeliveryIds {
    private DeliveryIds() {}

    /** A stable int in 1 … 2^31-2 from {@code key} (Huawei, Honor, Xiaomi). */
    public static int notifyId(String key) {
        return Math.floorMod(key.hashCode(), Integer.MAX_VALUE - 1) + 1;
    }

    /** A stable int in 1 … 2^31-1 from {@code key}: the hash with its sign bit cleared, 0 as 1 (vivo, OPPO). */
    public static int maskedNotifyId(String key) {
        int h = key.hashCode() & Integer.MAX_VALUE;
        return h == 0 ? 1 : h;
    }

    /**
     * What a notification's device-side id derives from: the notification's collapse id (the message
     * id, or the first push of a coalesced conversation, whose updates replace it), else the message id.
     */
    public static String collapseKey(Delivery delivery) {
        String collapseId = delivery.notification().collapseId();
        return collapseId != null ? collapseId : delivery.messageId();
    }

    /** The message's deep link ({@link Notification#ROUTE_KEY}), which each vendor's click action opens. */
    public static Optional<String> route(Delivery delivery) {
        return Optional.ofNullable(delivery.notification().data().get(Notification.ROUTE_KEY));
    }

    /** {@code messageId:deviceId}, or its SHA-256 hex (64 chars) when longer than {@code maxChars}. */
    public static String messageAndDevice(Delivery delivery, int maxChars) {
        String id = delivery.messageId() + ":" + delivery.target().deviceId();
        if (id.length() <= maxChars) {
            return id;
        }
        return Digests.sha256Hex(id);
    }

    /** The notification's data plus {@code messageId} and (when known) {@code conversationId}, which win. */
    public static Map<String, String> dataWithIds(Delivery delivery) {
        Map<String, String> data = new LinkedHashMap<>(delivery.notification().data());
        data.put(Notification.MESSAGE_ID_KEY, delivery.messageId());
        if (delivery.job().conversationId() != null) {
            data.put(Notification.CONVERSATION_ID_KEY, delivery.job().conversationId());
        }
        return data;
    }
}
