package dev.impush.worker.channel.xiaomi;

import dev.impush.model.Channel;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.TextLimits;
import dev.impush.worker.receipt.ReceiptSettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a {@link Delivery} as the form of {@code POST /v3/message/regid}. Stateless apart from the
 * clock; thread-safe.
 *
 * <ul>
 *   <li>One {@code registration_id}: the pipeline fans out per device already.</li>
 *   <li>{@code title} under 50 characters and {@code description} under 128 (MiPush limits, counted
 *       in characters), trimmed on a code point boundary; neither may be blank, so each stands in for
 *       the other when empty (a hidden preview).</li>
 *   <li>{@code notify_id}: a stable positive int from the collapse id ({@link DeliveryIds#collapseKey}), so a
 *       re-send or a coalesced update replaces the shown notification instead of adding one.</li>
 *   <li>{@code payload}: the deep-link data as URL-encoded JSON, always with {@code messageId} and
 *       {@code conversationId} when the job has one.</li>
 *   <li>{@code time_to_live}: time left until the job expires, clamped to MiPush's two weeks.</li>
 *   <li>{@code extra.channel_id}: the app's private-message channel (IM class, not capped as public).</li>
 *   <li>A silent push is a pass-through message ({@code pass_through=1}): nothing is shown.</li>
 * </ul>
 */
final class XiaomiPayload {
    /** MiPush: title "长度小于50". */
    static final int MAX_TITLE = 49;
    /** MiPush: description "长度小于128". */
    static final int MAX_DESCRIPTION = 127;
    /** MiPush keeps an offline message two weeks at most. */
    static final Duration MAX_TTL = Duration.ofDays(14);
    static final Duration MIN_TTL = Duration.ofSeconds(1);
    /** notify_type -1: sound, vibration and lights (DEFAULT_ALL); 6: vibration | lights. */
    static final String NOTIFY_ALL = "-1";
    static final String NOTIFY_SILENT_SOUND = "6";
    /** notify_effect 1: open the app's launcher activity; the app routes with the payload. */
    static final String EFFECT_LAUNCH_APP = "1";
    /** Opens the activity of {@code extra.intent_uri}: a message's deep link. */
    static final String EFFECT_INTENT_URI = "2";

    /** {@code extra.callback.type} 3: a receipt when the device got the push (1) and when it was tapped (2). */
    static final String CALLBACK_DELIVERED_AND_CLICKED = "3";

    private final XiaomiConfig config;
    private final Clock clock;
    private final ReceiptSettings receipts;

    XiaomiPayload(XiaomiConfig config, Clock clock) {
        this(config, clock, null);
    }

    /** @param receipts where receipts go and how their tags are signed; {@code null}: no receipts */
    XiaomiPayload(XiaomiConfig config, Clock clock, ReceiptSettings receipts) {
        this.config = config;
        this.clock = clock;
        this.receipts = receipts;
    }

    Map<String, String> render(Delivery delivery) {
        Notification n = delivery.notification();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("registration_id", delivery.target().token());
        form.put("restricted_package_name", delivery.target().appId());
        form.put("payload", URLEncoder.encode(new String(Json.write(DeliveryIds.dataWithIds(delivery)), StandardCharsets.UTF_8),
                StandardCharsets.UTF_8));
        if (n.silent()) {
            form.put("pass_through", "1");
        } else {
            String title = blank(n.title()) ? n.body() : n.title();
            String description = blank(n.body()) ? n.title() : n.body();
            form.put("pass_through", "0");
            form.put("title", TextLimits.truncate(title, MAX_TITLE));
            form.put("description", TextLimits.truncate(description, MAX_DESCRIPTION));
            form.put("notify_type", n.sound() == null ? NOTIFY_SILENT_SOUND : NOTIFY_ALL);
        }
        form.put("notify_id", Integer.toString(DeliveryIds.notifyId(DeliveryIds.collapseKey(delivery))));
        if (delivery.expiresAt() != null) {
            form.put("time_to_live", Long.toString(delivery.timeLeft(clock.instant(), MIN_TTL, MAX_TTL).toMillis()));
        }
        form.put("extra.channel_id", config.channelIdFor(delivery.target().appId()));
        DeliveryIds.route(delivery).ifPresentOrElse(route -> {
            form.put("extra.notify_effect", EFFECT_INTENT_URI);
            form.put("extra.intent_uri", route);
        }, () -> form.put("extra.notify_effect", EFFECT_LAUNCH_APP));
        if (receipts != null) {
            form.put("extra.callback", receipts.callback(Channel.XIAOMI));
            form.put("extra.callback.param", receipts.tag(delivery, clock.instant()));
            form.put("extra.callback.type", CALLBACK_DELIVERED_AND_CLICKED);
        }
        return form;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
