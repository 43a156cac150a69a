package dev.impush.worker.channel.oppo;

import dev.impush.model.Channel;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.TextLimits;
import dev.impush.worker.receipt.ReceiptSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders a {@link Delivery} as the {@code message} JSON of OPPO's
 * {@code POST /server/v1/message/notification/unicast} for one registration id. Stateless apart
 * from the clock and configuration; thread-safe.
 *
 * <ul>
 *   <li>{@code title} ≤ {@value #MAX_TITLE} and {@code content} ≤ {@value #MAX_CONTENT} characters
 *       (OPPO's limits), cut on a code point; a blank one becomes the configured fallback text.</li>
 *   <li>{@code notify_id}: a stable positive int from the collapse id (else the message id), so a
 *       second send replaces the first on the phone; {@code app_message_id} (OPPO's dedupe key,
 *       kept ≤ {@value #MAX_APP_MESSAGE_ID} chars) is the message and device.</li>
 *   <li>{@code action_parameters}: a JSON object string with {@code messageId},
 *       {@code conversationId} and the notification data, handed to the app on tap.</li>
 *   <li>{@code off_line_ttl}: the time left until the job expires, clamped to OPPO's 1 s – 10 days.</li>
 *   <li>{@code channel_id}, {@code category}, {@code notify_level}: the configured IM class.</li>
 * </ul>
 */
final class OppoPayload {
    /** OPPO: title ≤ 50 characters. */
    static final int MAX_TITLE = 50;
    /** OPPO: content ≤ 200 characters. */
    static final int MAX_CONTENT = 200;
    /** OPPO: off_line_ttl ≤ 10 days. */
    static final Duration MAX_TTL = Duration.ofDays(10);
    static final Duration MIN_TTL = Duration.ofSeconds(1);
    static final int MAX_APP_MESSAGE_ID = 64;
    /** OPPO target_type 2: a registration id. */
    static final int TARGET_REGISTRATION_ID = 2;
    /** {@code click_action_type} 5: open {@code click_action_url} as an intent scheme URL: a message's deep link. */
    static final int CLICK_INTENT_SCHEME_URL = 5;

    private final OppoConfig config;
    private final Clock clock;
    private final ReceiptSettings receipts;

    OppoPayload(OppoConfig config, Clock clock) {
        this(config, clock, null);
    }

    /** @param receipts where receipts go and how their tags are signed; {@code null}: no receipts */
    OppoPayload(OppoConfig config, Clock clock, ReceiptSettings receipts) {
        this.config = config;
        this.clock = clock;
        this.receipts = receipts;
    }

    Map<String, Object> render(Delivery delivery) {
        Notification n = delivery.notification();
        Map<String, Object> notification = new LinkedHashMap<>();
        notification.put("title", TextLimits.truncate(orFallback(n.title()), MAX_TITLE));
        notification.put("content", TextLimits.truncate(orFallback(n.body()), MAX_CONTENT));
        DeliveryIds.route(delivery).ifPresentOrElse(route -> {
            notification.put("click_action_type", CLICK_INTENT_SCHEME_URL);
            notification.put("click_action_url", route);
        }, () -> {
            notification.put("click_action_type", config.click().type());
            config.click().activity().ifPresent(a -> notification.put("click_action_activity", a));
            config.click().url().ifPresent(u -> notification.put("click_action_url", u));
        });
        notification.put("action_parameters", new String(Json.write(parameters(delivery)), StandardCharsets.UTF_8));
        notification.put("channel_id", config.im().channelId());
        if (!config.im().category().isBlank()) {
            notification.put("category", config.im().category());
        }
        if (config.im().notifyLevel() > 0) {
            notification.put("notify_level", config.im().notifyLevel());
        }
        if (delivery.expiresAt() != null) {
            notification.put("off_line", true);
            notification.put("off_line_ttl", delivery.timeLeft(clock.instant(), MIN_TTL, MAX_TTL).toSeconds());
        }
        notification.put("notify_id", DeliveryIds.maskedNotifyId(DeliveryIds.collapseKey(delivery)));
        notification.put("app_message_id", DeliveryIds.messageAndDevice(delivery, MAX_APP_MESSAGE_ID));
        if (receipts != null) {
            notification.put("call_back_url", receipts.callback(Channel.OPPO));
            notification.put("call_back_parameter", receipts.tag(delivery, clock.instant()));
        }
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("target_type", TARGET_REGISTRATION_ID);
        message.put("target_value", delivery.target().token());
        message.put("notification", notification);
        return message;
    }

    private static Map<String, String> parameters(Delivery delivery) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(Notification.MESSAGE_ID_KEY, delivery.messageId());
        if (delivery.job().conversationId() != null) {
            p.put(Notification.CONVERSATION_ID_KEY, delivery.job().conversationId());
        }
        new TreeMap<>(delivery.notification().data()).forEach(p::putIfAbsent);
        return p;
    }

    private String orFallback(String text) {
        return text == null || text.isBlank() ? config.fallbackText() : text;
    }
}
