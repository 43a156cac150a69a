package dev.impush.worker.channel.harmony;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.http.BodyFit;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.TextLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Renders a {@link Delivery} as a Push Kit for HarmonyOS {@code messages:send} request for one token:
 * the {@code push-type} header and the body {@code {payload, target: {token: [t]}, pushOptions}}.
 *
 * <ul>
 *   <li>A chat push is a notification ({@code push-type 0}): {@code category} from the config
 *       ({@code IM}), title (the body when there is none: Push Kit requires one), body, {@code notifyId}
 *       from the collapse id ({@link DeliveryIds#notifyId}: a resend or an update replaces the
 *       notification), {@code badge.setNum}, and {@code clickAction} with the job's data and ids:
 *       the message's route as the ability {@code uri} (a deep link), else the configured
 *       {@code action}, else the home page.</li>
 *   <li>A silent push (a read elsewhere) is a background message ({@code push-type 6}), and a call a
 *       VoIP call push ({@code push-type 10}) unless configured as a notification: both carry the
 *       data as {@code extraData}, a JSON <em>string</em>.</li>
 *   <li>{@code pushOptions.ttl}: until the job expires, in [1 s, max TTL]; a day when it never does.</li>
 *   <li>Push Kit refuses bodies over 4,096 bytes (80300008): the text is trimmed to fit, never the JSON.</li>
 * </ul>
 * Stateless apart from the clock; thread-safe.
 */
final class HarmonyMessage {
    /** Push Kit's limit on the body (80300008 above it; it does not count the tokens, this does). */
    static final int MAX_BYTES = 4096;
    /** Title limit [U]: Push Kit documents none; longer titles are cut on the device anyway. */
    static final int MAX_TITLE_CHARS = 100;
    /** {@code badge.setNum}: 0 to 99. */
    static final int MAX_BADGE = 99;
    /** When the job never expires: Push Kit's own default ttl. */
    static final Duration DEFAULT_TTL = Duration.ofDays(1);

    /** The {@code push-type} header's values impush sends. */
    enum PushType {
        NOTIFICATION(0), BACKGROUND(6), VOIP_CALL(10);

        final int header;

        PushType(int header) {
            this.header = header;
        }
    }

    /** A request: its {@code push-type}, and its body, empty when not even an empty text fits. */
    record Rendered(PushType pushType, Optional<String> body) {}

    private final HarmonyConfig config;
    private final Clock clock;

    HarmonyMessage(HarmonyConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    static PushType pushType(Notification n, HarmonyConfig.CallPush calls) {
        if (n.call() && calls == HarmonyConfig.CallPush.VOIP) {
            return PushType.VOIP_CALL;
        }
        return n.silent() ? PushType.BACKGROUND : PushType.NOTIFICATION;
    }

    Rendered render(Delivery delivery) {
        PushType type = pushType(delivery.notification(), config.calls());
        String body = delivery.notification().body() == null ? "" : delivery.notification().body();
        return new Rendered(type, BodyFit.longestFitting(body, MAX_BYTES, text -> tree(delivery, type, text)));
    }

    ObjectNode tree(Delivery delivery, PushType type, String text) {
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode payload = root.putObject("payload");
        if (type == PushType.NOTIFICATION) {
            notification(delivery, text, payload.putObject("notification"));
        } else {
            payload.put("extraData", Json.mapper().valueToTree(DeliveryIds.dataWithIds(delivery)).toString());
        }
        root.putObject("target").putArray("token").add(delivery.target().token());
        ObjectNode options = root.putObject("pushOptions");
        options.put("ttl", ttl(delivery).toSeconds());
        if (config.testMessage()) {
            options.put("testMessage", true);
        }
        config.receiptId().ifPresent(id -> options.put("receiptId", id));
        return root;
    }

    private void notification(Delivery delivery, String text, ObjectNode shown) {
        Notification n = delivery.notification();
        shown.put("category", n.call() ? "VOIP" : config.category());
        String title = n.title() == null || n.title().isBlank() ? text : n.title();
        shown.put("title", TextLimits.truncate(title, MAX_TITLE_CHARS));
        shown.put("body", text.isEmpty() ? shown.path("title").asText() : text);
        ObjectNode click = shown.putObject("clickAction");
        DeliveryIds.route(delivery).ifPresentOrElse(route -> click.put("actionType", 1).put("uri", route),
                () -> config.clickAction().ifPresentOrElse(a -> click.put("actionType", 1).put("action", a),
                        () -> click.put("actionType", 0)));
        click.set("data", Json.mapper().valueToTree(DeliveryIds.dataWithIds(delivery)));
        shown.put("notifyId", DeliveryIds.notifyId(DeliveryIds.collapseKey(delivery)));
        if (n.badge() != null) {
            shown.putObject("badge").put("setNum", Math.clamp(n.badge(), 0, MAX_BADGE));
        }
        shown.put("foregroundShow", config.foregroundShow());
    }

    Duration ttl(Delivery delivery) {
        if (delivery.expiresAt() == null) {
            return DEFAULT_TTL.compareTo(config.maxTtl()) > 0 ? config.maxTtl() : DEFAULT_TTL;
        }
        return Duration.ofSeconds(delivery.timeLeft(clock.instant(), Duration.ofSeconds(1), config.maxTtl()).toSeconds());
    }
}
