package dev.impush.worker.channel.xiaomi;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.vendor.SendGate;
import dev.impush.worker.channel.vendor.VendorHttp;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Xiaomi MiPush: one form post to {@code /v3/message/regid} per device token, authenticated with the
 * static {@code Authorization: key=<AppSecret>} header (no token to fetch or refresh, so this channel
 * never answers {@link SendOutcome.AuthExpired}; a refused secret is {@link SendOutcome.Rejected}).
 *
 * <p>Threading: {@link #send} never blocks; the request runs on the HTTP client's virtual threads.
 * Retries: none here; the answer is mapped by {@link XiaomiResponses} and the worker's retry tiers
 * decide. A transport failure fails the future (the caller treats it as retry).
 *
 * <p>Lifecycle: {@link #close()} refuses new sends and waits for the HTTP client to finish.
 */
public final class XiaomiChannel implements PushChannel {
    private static final Logger log = LoggerFactory.getLogger(XiaomiChannel.class);
    static final String SEND_PATH = "/v3/message/regid";

    private final Clock clock;
    private final URI sendUri;
    private final Map<String, String> headers;
    private final XiaomiPayload payload;
    private final XiaomiResponses responses;
    private final VendorHttp http;
    private final SendGate gate;

    private XiaomiChannel(XiaomiConfig config, Clock clock) {
        this.clock = clock;
        this.sendUri = config.baseUrl().resolve(SEND_PATH);
        this.headers = Map.of("Authorization", "key=" + config.appSecret());
        this.payload = new XiaomiPayload(config, clock);
        this.responses = new XiaomiResponses(config);
        this.http = new VendorHttp(config.requestTimeout(), config.requestTimeout());
        this.gate = new SendGate("Xiaomi", http);
    }

    /** Builds the channel; no network call is made until the first send. */
    public static XiaomiChannel create(XiaomiConfig config, Clock clock) {
        XiaomiChannel channel = new XiaomiChannel(config, clock);
        log.info("Xiaomi channel via {} (channel_id {}, {} per-app overrides)", config.baseUrl(),
                config.channelId(), config.channelIdByPackage().size());
        return channel;
    }

    @Override
    public Channel channel() {
        return Channel.XIAOMI;
    }

    @Override
    public CompletableFuture<SendOutcome> send(Delivery delivery) {
        return gate.send(() -> sendOpen(delivery));
    }

    private CompletableFuture<SendOutcome> sendOpen(Delivery delivery) {
        Map<String, String> form;
        try {
            form = payload.render(delivery);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    new SendOutcome.Rejected("xiaomi: cannot build message: " + e.getMessage()));
        }
        String token = delivery.target().token();
        return http.postForm(sendUri, headers, form).thenApply(r -> {
            SendOutcome outcome = responses.map(r.status(), r.json(), token, clock.instant());
            if (log.isDebugEnabled() && !(outcome instanceof SendOutcome.Delivered)) {
                log.debug("Xiaomi {} for message {} to {}: {}", outcome.label(), delivery.messageId(),
                        Tokens.mask(token), outcome);
            }
            return outcome;
        });
    }

    @Override
    public void close() {
        gate.close();
    }
}
