package dev.impush.worker.channel.vivo;

import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.TextLimits;
import dev.impush.worker.receipt.ReceiptSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a {@link Delivery} as the JSON body of vivo's {@code POST /message/send} for one regId.
 * Stateless apart from the clock and configuration; thread-safe.
 *
 * <ul>
 *   <li>{@code title} ≤ {@value #MAX_TITLE} and {@code content} ≤ {@value #MAX_CONTENT} characters
 *       (vivo's limits), cut on a code point; a blank one is replaced by the configured fallback
 *       text, as vivo requires both.</li>
 *   <li>{@code notifyId} is a stable positive int derived from the collapse id (the message id when
 *       there is none), so a second send of the same message replaces the first on the phone.</li>
 *   <li>{@code requestId} (vivo's idempotency key, ≤ {@value #MAX_REQUEST_ID} chars) is the message
 *       and device: vivo drops a re-send of a request it already accepted.</li>
 *   <li>{@code clientCustomMap} (≤ {@value #MAX_CUSTOM_PAIRS} pairs) carries {@code messageId} and
 *       {@code conversationId} first, then the notification data while room is left.</li>
 *   <li>{@code timeToLive}: the time left until the job expires, clamped to vivo's 60 s – 7 days.</li>
 *   <li>{@code classification}/{@code category}: the configured IM class; {@code pushMode} 1 (test)
 *       for sandbox targets.</li>
 * </ul>
 */
final class VivoPayload {
    /** vivo: title ≤ 40 characters. */
    static final int MAX_TITLE = 40;
    /** vivo: content ≤ 100 characters. */
    static final int MAX_CONTENT = 100;
    /** vivo: clientCustomMap ≤ 10 key/value pairs. */
    static final int MAX_CUSTOM_PAIRS = 10;
    /** vivo: requestId ≤ 64 characters. */
    static final int MAX_REQUEST_ID = 64;
    /** vivo: timeToLive ≤ 7 days. */
    static final Duration MAX_TTL = Duration.ofDays(7);
    /** vivo: timeToLive at least 60 s. */
    static final Duration MIN_TTL = Duration.ofSeconds(60);
    /** notifyType 4: sound and vibration; 3: vibration only. */
    static final int NOTIFY_SOUND_AND_VIBRATE = 4;
    static final int NOTIFY_VIBRATE = 3;
    /** {@code skipType} 4: open the in-app page of {@code skipContent} (an intent URI): a message's deep link. */
    static final int SKIP_IN_APP_PAGE = 4;

    private final VivoConfig config;
    private final Clock clock;
    private final ReceiptSettings receipts;

    VivoPayload(VivoConfig config, Clock clock) {
        this(config, clock, null);
    }

    /** @param receipts where receipts go and how their tags are signed; {@code null}: no receipts */
    VivoPayload(VivoConfig config, Clock clock, ReceiptSettings receipts) {
        this.config = config;
        this.clock = clock;
        this.receipts = receipts;
    }

    Map<String, Object> render(Delivery delivery) {
        Notification n = delivery.notification();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appId", config.appId());
        body.put("regId", delivery.target().token());
        body.put("notifyType", n.sound() == null ? NOTIFY_VIBRATE : NOTIFY_SOUND_AND_VIBRATE);
        body.put("title", TextLimits.truncate(orFallback(n.title()), MAX_TITLE));
        body.put("content", TextLimits.truncate(orFallback(n.body()), MAX_CONTENT));
        if (delivery.expiresAt() != null) {
            body.put("timeToLive", delivery.timeLeft(clock.instant(), MIN_TTL, MAX_TTL).toSeconds());
        }
        DeliveryIds.route(delivery).ifPresentOrElse(route -> {
            body.put("skipType", SKIP_IN_APP_PAGE);
            body.put("skipContent", route);
        }, () -> {
            body.put("skipType", config.click().skipType());
            config.click().skipContent().ifPresent(c -> body.put("skipContent", c));
        });
        body.put("classification", config.im().classification());
        if (!config.im().category().isBlank()) {
            body.put("category", config.im().category());
        }
        body.put("notifyId", DeliveryIds.maskedNotifyId(DeliveryIds.collapseKey(delivery)));
        body.put("clientCustomMap", customMap(delivery));
        body.put("requestId", DeliveryIds.messageAndDevice(delivery, MAX_REQUEST_ID));
        body.put("pushMode", delivery.target().sandbox() ? 1 : 0);
        if (receipts != null) {
            body.put("extra", Map.of("callback", receipts.callback(Channel.VIVO),
                    "callback.param", receipts.tag(delivery, clock.instant())));
        }
        return body;
    }

    private static Map<String, String> customMap(Delivery delivery) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(Notification.MESSAGE_ID_KEY, delivery.messageId());
        if (delivery.job().conversationId() != null) {
            map.put(Notification.CONVERSATION_ID_KEY, delivery.job().conversationId());
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(delivery.notification().data()).entrySet()) {
            if (map.size() >= MAX_CUSTOM_PAIRS) {
                break;
            }
            map.putIfAbsent(e.getKey(), e.getValue());
        }
        return map;
    }

    private String orFallback(String text) {
        return text == null || text.isBlank() ? config.fallbackText() : text;
    }
}
