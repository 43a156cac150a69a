package dev.impush.worker.channel.meizu;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.vendor.SendGate;
import dev.impush.worker.channel.vendor.VendorHttp;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meizu (Flyme) push: one signed form post to {@code pushByPushId} per push id (notification, or
 * the pass-through endpoint for a silent push). Each request is signed with the app secret (MD5,
 * {@link MeizuSign}); there is no token to fetch or refresh, so this channel never answers
 * {@link SendOutcome.AuthExpired}: a bad signature (1006) is {@link SendOutcome.Rejected}.
 *
 * <p>Threading: {@link #send} never blocks; the request runs on the HTTP client's virtual threads.
 * Retries: none here; {@link MeizuResponses} maps the answer, the worker's retry tiers decide. A
 * transport failure fails the future (the caller treats it as retry).
 *
 * <p>Lifecycle: {@link #close()} refuses new sends and waits for the HTTP client to finish.
 */
public final class MeizuChannel implements PushChannel {
    private static final Logger log = LoggerFactory.getLogger(MeizuChannel.class);

    private final MeizuConfig config;
    private final Clock clock;
    private final MeizuPayload payload;
    private final MeizuResponses responses;
    private final VendorHttp http;
    private final SendGate gate;

    private MeizuChannel(MeizuConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.payload = new MeizuPayload(config, clock);
        this.responses = new MeizuResponses(config);
        this.http = new VendorHttp(config.requestTimeout(), config.requestTimeout());
        this.gate = new SendGate("Meizu", http);
    }

    /** Builds the channel; no network call is made until the first send. */
    public static MeizuChannel create(MeizuConfig config, Clock clock) {
        MeizuChannel channel = new MeizuChannel(config, clock);
        log.info("Meizu channel for app {} via {} (noticeMsgType {})", config.appId(), config.baseUrl(),
                config.noticeMsgType());
        return channel;
    }

    @Override
    public Channel channel() {
        return Channel.MEIZU;
    }

    @Override
    public CompletableFuture<SendOutcome> send(Delivery delivery) {
        return gate.send(() -> sendOpen(delivery));
    }

    private CompletableFuture<SendOutcome> sendOpen(Delivery delivery) {
        MeizuPayload.Request request;
        try {
            request = payload.render(delivery);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    new SendOutcome.Rejected("meizu: cannot build message: " + e.getMessage()));
        }
        String token = delivery.target().token();
        return http.postForm(config.baseUrl().resolve(request.path()), Map.of(), request.form()).thenApply(r -> {
            SendOutcome outcome = responses.map(r.status(), r.json(), token, clock.instant());
            if (log.isDebugEnabled() && !(outcome instanceof SendOutcome.Delivered)) {
                log.debug("Meizu {} for message {} to {}: {}", outcome.label(), delivery.messageId(),
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
