package dev.impush.worker.channel.honor;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Renders a {@link Delivery} as an Honor {@code sendMessage} body (camelCase, no {@code message}
 * wrapper) for one device token.
 *
 * <ul>
 *   <li>IM class: {@code importance} from the config ({@code NORMAL}: Honor's service/IM class).</li>
 *   <li>{@code notifyId}: a stable positive int from the collapse id ({@link DeliveryIds#collapseKey}), so a
 *       double send or a coalesced update replaces the first notification instead of adding one.</li>
 *   <li>{@code data}: the job's data plus {@code messageId} and {@code conversationId}, as a JSON string.</li>
 *   <li>TTL: until the job expires, clamped to [1 s, max TTL].</li>
 *   <li>Size: 4 KB [U, as Huawei]; the text is trimmed to fit, never the JSON.</li>
 * </ul>
 * Silent pushes carry no notification block. Stateless apart from the clock; thread-safe.
 */
final class HonorMessage {
    /** [U] Honor's body limit, assumed equal to Huawei's. */
    static final int MAX_BYTES = 4096;
    /** [U] title limit: none documented. */
    static final int MAX_TITLE_CHARS = 100;
    static final int MAX_BADGE = 99;
    static final Duration DEFAULT_TTL = Duration.ofDays(1);

    private final HonorConfig config;
    private final Clock clock;

    HonorMessage(HonorConfig config, Clock clock) {
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
        root.putArray("token").add(delivery.target().token());
        root.put("data", new String(Json.write(DeliveryIds.dataWithIds(delivery)), StandardCharsets.UTF_8));
        ObjectNode android = root.putObject("android");
        android.put("ttl", ttl(delivery).toSeconds() + "s");
        if (!n.silent()) {
            ObjectNode shown = android.putObject("notification");
            // a title is required: without one (no sender name, a content-free push) the body stands in
            String title = n.title() == null || n.title().isBlank() ? n.body() : n.title();
            shown.put("title", TextLimits.truncate(title == null ? "" : title, MAX_TITLE_CHARS));
            shown.put("body", body);
            ObjectNode click = shown.putObject("clickAction");
            DeliveryIds.route(delivery).ifPresentOrElse(route -> click.put("type", 1).put("intent", route),
                    () -> config.clickAction().ifPresentOrElse(a -> click.put("type", 1).put("action", a),
                            () -> click.put("type", 3)));
            shown.put("importance", config.importance());
            shown.put("notifyId", DeliveryIds.notifyId(DeliveryIds.collapseKey(delivery)));
            if (n.badge() != null && config.badgeClass().isPresent()) {
                shown.putObject("badgeNotification").put("badgeClass", config.badgeClass().get())
                        .put("setNum", Math.clamp(n.badge(), 0, MAX_BADGE));
            }
        }
        return root;
    }

    Duration ttl(Delivery delivery) {
        if (delivery.expiresAt() == null) {
            return DEFAULT_TTL.compareTo(config.maxTtl()) > 0 ? config.maxTtl() : DEFAULT_TTL;
        }
        return Duration.ofSeconds(delivery.timeLeft(clock.instant(), Duration.ofSeconds(1), config.maxTtl()).toSeconds());
    }
}
