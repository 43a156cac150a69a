package dev.impush.worker.channel.webpush;

import dev.impush.model.Channel;
import dev.impush.model.WebPushSubscription;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.HttpChannel;
import dev.impush.worker.channel.http.VendorHttp;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Web Push (RFC 8030) to the browsers' push services: each device's token is its subscription
 * ({@link WebPushSubscription}); the payload is encrypted to the browser's keys (RFC 8291,
 * {@link PayloadEncryption}) and the request signed for the push service's origin (VAPID, RFC 8292,
 * {@link Vapid}), with {@code TTL}, {@code Urgency} and {@code Topic}. An endpoint whose host is not
 * allowed ({@link WebPushConfig#allowedHosts}) is refused without a request.
 */
public final class WebPushChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(WebPushChannel.class);

    private final WebPushConfig config;
    private final Clock clock;
    private final Vapid vapid;
    private final WebPushPayload payload;

    private WebPushChannel(WebPushConfig config, Clock clock) {
        super(Channel.WEBPUSH, "Web Push", VendorHttp.withTimeouts(VendorSettings.CONNECT_TIMEOUT,
                config.requestTimeout(), config.maxConcurrency()));
        this.config = config;
        this.clock = clock;
        this.vapid = config.vapid(clock);
        this.payload = new WebPushPayload(clock);
    }

    /** Builds the channel; no network call is made until the first send. */
    public static WebPushChannel create(WebPushConfig config, Clock clock) {
        log.info("Web Push channel, VAPID key {} ({}), push services {}", config.vapidPublicKey(), config.subject(),
                config.allowedHosts());
        return new WebPushChannel(config, clock);
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        WebPushSubscription s;
        try {
            s = WebPushSubscription.parse(delivery.target().token());
        } catch (IllegalArgumentException e) {
            return new Prepared.Answer(new SendOutcome.Rejected("webpush: " + e.getMessage()));
        }
        if (!config.allows(s.endpoint().getHost()) || ("http".equals(s.endpoint().getScheme()) && !config.allowHttp())) {
            return new Prepared.Answer(new SendOutcome.Rejected("webpush: push service " + s.origin()
                    + " is not allowed (" + WebPushConfig.ALLOWED_HOSTS + ", https only)"));
        }
        Optional<byte[]> plaintext = payload.render(delivery);
        if (plaintext.isEmpty()) {
            return new Prepared.Answer(new SendOutcome.Rejected("webpush payload > " + PayloadEncryption.MAX_PLAINTEXT
                    + " bytes with an empty body: custom data too large"));
        }
        byte[] body = PayloadEncryption.encrypt(plaintext.get(), s.p256dh(), s.auth());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", vapid.authorization(s.origin()));
        headers.put("Content-Encoding", "aes128gcm");
        headers.put("TTL", Long.toString(payload.ttlSeconds(delivery)));
        headers.put("Urgency", WebPushPayload.urgency(delivery.notification()));
        headers.put("Topic", WebPushPayload.topic(delivery));
        return Prepared.post(new VendorHttp.Request(s.endpoint(), headers, "application/octet-stream", body));
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        SendOutcome outcome = WebPushResponses.map(r, clock.instant(), config.rateLimitBackoff());
        if (outcome instanceof SendOutcome.AuthExpired) {
            vapid.invalidate(WebPushSubscription.parse(delivery.target().token()).origin());
        }
        return outcome;
    }
}
