package dev.impush.worker.channel.huawei;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.BodyFit;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.TextLimits;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Renders a {@link Delivery} as a Push Kit {@code messages:send} body for one device token.
 *
 * <ul>
 *   <li>IM class: {@code android.category} and {@code notification.importance} from the config
 *       ({@code IM}/{@code NORMAL} by default), so chat pushes are not capped as marketing.</li>
 *   <li>{@code notify_id}: a stable positive int from the collapse id ({@link DeliveryIds#collapseKey}), so
 *       a double send or a coalesced update replaces the first notification instead of adding one.</li>
 *   <li>{@code data}: the job's data plus {@code messageId} and {@code conversationId}, as a JSON string.</li>
 *   <li>TTL: until the job expires, clamped to [1 s, max TTL].</li>
 *   <li>Size: Huawei refuses bodies over 4 KB (80300008); the text is trimmed to fit, never the JSON.</li>
 * </ul>
 * Silent pushes are data messages (no notification block). Stateless apart from the clock; thread-safe.
 */
final class HuaweiMessage {
    /** Huawei's limit on the message body (80300008 above it). */
    static final int MAX_BYTES = 4096;
    /** Title limit [U]: Huawei documents none; longer titles are cut by the launcher anyway. */
    static final int MAX_TITLE_CHARS = 100;
    /** Huawei's badge {@code set_num} range. */
    static final int MAX_BADGE = 99;
    /** When the job has no expiry: Huawei's own default TTL. */
    static final Duration DEFAULT_TTL = Duration.ofDays(1);

    private final HuaweiConfig config;
    private final Clock clock;

    HuaweiMessage(HuaweiConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** The request body's JSON text, or empty when even an empty body text would exceed 4 KB (custom data too large). */
    Optional<String> render(Delivery delivery) {
        String body = delivery.notification().body() == null ? "" : delivery.notification().body();
        return BodyFit.longestFitting(body, MAX_BYTES, text -> tree(delivery, text));
    }

    ObjectNode tree(Delivery delivery, String body) {
        Notification n = delivery.notification();
        ObjectNode root = Json.mapper().createObjectNode();
        root.put("validate_only", false);
        ObjectNode message = root.putObject("message");
        message.put("data", new String(Json.write(DeliveryIds.dataWithIds(delivery)), StandardCharsets.UTF_8));
        ObjectNode android = message.putObject("android");
        android.put("urgency", n.priority() == Priority.NORMAL ? "NORMAL" : "HIGH");
        config.im().category().ifPresent(c -> android.put("category", c));
        android.put("ttl", ttl(delivery).toSeconds() + "s");
        if (!n.silent()) {
            ObjectNode shown = android.putObject("notification");
            // a title is required: without one (no sender name, a content-free push) the body stands in
            String title = n.title() == null || n.title().isBlank() ? n.body() : n.title();
            shown.put("title", TextLimits.truncate(title == null ? "" : title, MAX_TITLE_CHARS));
            shown.put("body", body);
            config.im().channelId().ifPresent(c -> shown.put("channel_id", c));
            ObjectNode click = shown.putObject("click_action");
            DeliveryIds.route(delivery).ifPresentOrElse(route -> click.put("type", 1).put("intent", route),
                    () -> config.clickAction().ifPresentOrElse(a -> click.put("type", 1).put("action", a),
                            () -> click.put("type", 3)));
            shown.put("importance", config.im().importance());
            shown.put("notify_id", DeliveryIds.notifyId(DeliveryIds.collapseKey(delivery)));
            if (n.sound() != null) {
                shown.put("default_sound", true);
            }
            if (n.badge() != null && config.badgeClass().isPresent()) {
                shown.putObject("badge").put("class", config.badgeClass().get())
                        .put("set_num", Math.clamp(n.badge(), 0, MAX_BADGE));
            }
        }
        message.putArray("token").add(delivery.target().token());
        return root;
    }

    Duration ttl(Delivery delivery) {
        if (delivery.expiresAt() == null) {
            return DEFAULT_TTL.compareTo(config.maxTtl()) > 0 ? config.maxTtl() : DEFAULT_TTL;
        }
        return Duration.ofSeconds(delivery.timeLeft(clock.instant(), Duration.ofSeconds(1), config.maxTtl()).toSeconds());
    }
}
