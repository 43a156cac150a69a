package dev.impush.worker.channel.fcm;

import com.google.firebase.messaging.AndroidConfig;
import com.google.firebase.messaging.AndroidNotification;
import com.google.firebase.messaging.Message;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link Delivery} as an FCM HTTP v1 {@link Message} for Android. Stateless apart from the
 * clock; thread-safe.
 *
 * <ul>
 *   <li>{@code data}: the notification's data, plus {@code messageId} always and
 *       {@code conversationId} when the job has one (the app routes the tap with them).</li>
 *   <li>{@code android.collapse_key} and the notification {@code tag} are the collapse id, so a
 *       re-sent message replaces itself on the device instead of showing twice.</li>
 *   <li>Silent pushes are data-only: no notification block, the app wakes and decides.</li>
 *   <li>{@code ttl} is the time left until the job expires, clamped to FCM's 0–28 days.</li>
 *   <li>FCM refuses messages over {@value #MAX_PAYLOAD_BYTES} bytes; the body is trimmed on a code
 *       point boundary to fit, by a cheap, slightly pessimistic estimate of the JSON size.</li>
 * </ul>
 */
final class FcmMessageRenderer {
    /** FCM: "maximum payload for both message types is 4096 bytes". */
    static final int MAX_PAYLOAD_BYTES = 4096;
    /** FCM: android.ttl accepts 0 to 2,419,200 s (28 days), which is also its default. */
    static final Duration MAX_TTL = Duration.ofDays(28);
    /**
     * Bytes of JSON structure around the strings: field names, quotes, braces, the ttl and priority
     * values. Counted from a fully populated message (~190 bytes) and rounded up.
     */
    static final int STRUCTURE_OVERHEAD = 256;
    /** Per data entry: two pairs of quotes, a colon and a comma. */
    private static final int DATA_ENTRY_OVERHEAD = 6;
    private static final String ELLIPSIS = "…";

    private final Clock clock;

    FcmMessageRenderer(Clock clock) {
        this.clock = clock;
    }

    Message render(Delivery delivery) {
        Notification n = delivery.notification();
        Map<String, String> data = data(delivery);
        AndroidConfig.Builder android = AndroidConfig.builder()
                .setPriority(n.priority() == Priority.NORMAL ? AndroidConfig.Priority.NORMAL : AndroidConfig.Priority.HIGH)
                .setRestrictedPackageName(delivery.target().appId());
        if (delivery.expiresAt() != null) {
            android.setTtl(delivery.timeLeft(clock.instant(), Duration.ZERO, MAX_TTL).toMillis());
        }
        if (n.collapseId() != null) {
            android.setCollapseKey(n.collapseId());
        }
        if (!n.silent()) {
            AndroidNotification.Builder shown = AndroidNotification.builder()
                    .setTitle(n.title())
                    .setBody(fitBody(n.body(), sizeWithoutBody(delivery, data)))
                    .setTag(n.collapseId());
            if (n.sound() != null) {
                shown.setSound(n.sound());
            }
            android.setNotification(shown.build());
        }
        return Message.builder()
                .setToken(delivery.target().token())
                .putAllData(data)
                .setAndroidConfig(android.build())
                .build();
    }

    private static Map<String, String> data(Delivery delivery) {
        Map<String, String> data = new LinkedHashMap<>();
        delivery.notification().data().forEach((k, v) -> {
            if (!reserved(k)) {
                data.put(k, v);
            }
        });
        data.put(Notification.MESSAGE_ID_KEY, delivery.messageId());
        String conversationId = delivery.job().conversationId();
        if (conversationId != null) {
            data.put(Notification.CONVERSATION_ID_KEY, conversationId);
        }
        return data;
    }

    /** FCM rejects the whole message (INVALID_ARGUMENT) for these data keys: drop them instead. */
    private static boolean reserved(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return k.equals("from") || k.equals("notification") || k.equals("message_type")
                || k.startsWith("google") || k.startsWith("gcm");
    }

    private static int sizeWithoutBody(Delivery delivery, Map<String, String> data) {
        Notification n = delivery.notification();
        int size = STRUCTURE_OVERHEAD + jsonSize(delivery.target().token()) + jsonSize(delivery.target().appId())
                + 2 * jsonSize(n.collapseId()) + jsonSize(n.title()) + jsonSize(n.sound());
        for (Map.Entry<String, String> e : data.entrySet()) {
            size += jsonSize(e.getKey()) + jsonSize(e.getValue()) + DATA_ENTRY_OVERHEAD;
        }
        return size;
    }

    /** The body, cut on a code point boundary and ended with "…" when the message would not fit. */
    static String fitBody(String body, int sizeWithoutBody) {
        if (body == null) {
            return null;
        }
        int budget = MAX_PAYLOAD_BYTES - sizeWithoutBody;
        if (jsonSize(body) <= budget) {
            return body;
        }
        int room = budget - jsonSize(ELLIPSIS);
        int used = 0;
        int end = 0;
        while (end < body.length()) {
            int cp = body.codePointAt(end);
            int cost = jsonSize(cp);
            if (used + cost > room) {
                break;
            }
            used += cost;
            end += Character.charCount(cp);
        }
        return room <= 0 ? "" : body.substring(0, end) + ELLIPSIS;
    }

    /** UTF-8 bytes of the string once JSON-escaped (control characters counted as {@code \\uXXXX}). */
    static int jsonSize(String s) {
        if (s == null) {
            return 0;
        }
        int size = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            size += jsonSize(cp);
            i += Character.charCount(cp);
        }
        return size;
    }

    private static int jsonSize(int cp) {
        if (cp == '"' || cp == '\\') {
            return 2;
        }
        if (cp < 0x20 || cp == 0x2028 || cp == 0x2029) {
            return 6;
        }
        if (cp < 0x80) {
            return 1;
        }
        if (cp < 0x800) {
            return 2;
        }
        return cp < 0x10000 ? 3 : 4;
    }
}
