package dev.impush.worker.channel.meizu;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.Digests;
import dev.impush.worker.channel.http.TextLimits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders a {@link Delivery} as the signed form of {@code pushByPushId}: {@code appId},
 * {@code pushIds} (one token), {@code messageJson}, {@code sign}. Thread-safe.
 *
 * <ul>
 *   <li>A notification ("varnished") carries {@code noticeBarInfo} with the configured
 *       {@code noticeMsgType} (1 = private message, IM class), title 1–32 and content 1–100
 *       characters (Flyme limits, trimmed on code points; each stands in for the other when empty).</li>
 *   <li>{@code clickTypeInfo.parameters}: the deep-link data with {@code messageId} and
 *       {@code conversationId}; {@code clickType 0} opens the app, which routes with them.</li>
 *   <li>{@code advanceInfo.notifyKey}: derived from the collapse id ({@link DeliveryIds#collapseKey}), so a
 *       re-send or a coalesced update replaces the shown notification; ids over {@value #MAX_NOTIFY_KEY} characters become a 32-hex-digit hash.</li>
 *   <li>{@code pushTimeInfo.validTime}: whole hours left until the job expires, rounded up and
 *       clamped to Flyme's 1–72 (24 without an expiry).</li>
 *   <li>A silent push is a pass-through ("unvarnished") message whose content is the data as JSON.</li>
 * </ul>
 */
final class MeizuPayload {
    static final int MAX_TITLE = 32;
    static final int MAX_CONTENT = 100;
    /** Flyme: pass-through content "字数限制2000以内". */
    static final int MAX_PASS_THROUGH_CONTENT = 2000;
    static final int MIN_VALID_HOURS = 1;
    static final int MAX_VALID_HOURS = 72;
    static final int DEFAULT_VALID_HOURS = 24;
    /** {@code clickType} 0: open the app, which routes with the click parameters. */
    static final int CLICK_OPEN_APP = 0;
    /** {@code clickType} 2: open {@code url}, a URI the app handles: a message's deep link. */
    static final int CLICK_URI = 2;
    /** Length of notifyKey Flyme accepts [U]: longer ids are hashed to 32 hex digits. */
    static final int MAX_NOTIFY_KEY = 32;

    /** A rendered request: the form to post and the path it goes to. */
    record Request(String path, Map<String, String> form) {}

    static final String NOTIFICATION_PATH = "/garcia/api/server/push/varnished/pushByPushId";
    static final String PASS_THROUGH_PATH = "/garcia/api/server/push/unvarnished/pushByPushId";

    private final MeizuConfig config;
    private final Clock clock;

    MeizuPayload(MeizuConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    Request render(Delivery delivery) {
        ObjectNode message = delivery.notification().silent() ? passThrough(delivery) : notification(delivery);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("appId", config.appId());
        form.put("pushIds", delivery.target().token());
        form.put("messageJson", new String(Json.write(message), StandardCharsets.UTF_8));
        form.put("sign", MeizuSign.sign(form, config.appSecret()));
        return new Request(delivery.notification().silent() ? PASS_THROUGH_PATH : NOTIFICATION_PATH, form);
    }

    private ObjectNode notification(Delivery delivery) {
        Notification n = delivery.notification();
        ObjectNode m = Json.mapper().createObjectNode();
        ObjectNode bar = m.putObject("noticeBarInfo");
        bar.put("noticeMsgType", config.noticeMsgType());
        bar.put("title", TextLimits.truncate(blank(n.title()) ? n.body() : n.title(), MAX_TITLE));
        bar.put("content", TextLimits.truncate(blank(n.body()) ? n.title() : n.body(), MAX_CONTENT));
        ObjectNode click = m.putObject("clickTypeInfo");
        DeliveryIds.route(delivery).ifPresentOrElse(route -> click.put("clickType", CLICK_URI).put("url", route),
                () -> click.put("clickType", CLICK_OPEN_APP));
        click.set("parameters", Json.mapper().valueToTree(DeliveryIds.dataWithIds(delivery)));
        timeInfo(m, delivery);
        ObjectNode advance = m.putObject("advanceInfo");
        advance.put("notifyKey", notifyKey(DeliveryIds.collapseKey(delivery)));
        ObjectNode effects = advance.putObject("notificationType");
        effects.put("vibrate", 1);
        effects.put("lights", 1);
        effects.put("sound", n.sound() == null ? 0 : 1);
        return m;
    }

    private ObjectNode passThrough(Delivery delivery) {
        ObjectNode m = Json.mapper().createObjectNode();
        m.put("content", new String(Json.write(DeliveryIds.dataWithIds(delivery)), StandardCharsets.UTF_8));
        timeInfo(m, delivery);
        return m;
    }

    private void timeInfo(ObjectNode m, Delivery delivery) {
        ObjectNode time = m.putObject("pushTimeInfo");
        time.put("offLine", 1);
        time.put("validTime", validHours(delivery));
    }

    int validHours(Delivery delivery) {
        if (delivery.expiresAt() == null) {
            return DEFAULT_VALID_HOURS;
        }
        Duration left = Duration.between(clock.instant(), delivery.expiresAt());
        long hours = Math.ceilDiv(Math.max(0, left.toMillis()), Duration.ofHours(1).toMillis());
        return (int) Math.max(MIN_VALID_HOURS, Math.min(MAX_VALID_HOURS, hours));
    }

    /** The key when it fits, else the first 128 bits of its SHA-256 in hex. */
    static String notifyKey(String key) {
        if (key.length() <= MAX_NOTIFY_KEY) {
            return key;
        }
        return HexFormat.of().formatHex(Digests.digest("SHA-256", key), 0, 16);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
