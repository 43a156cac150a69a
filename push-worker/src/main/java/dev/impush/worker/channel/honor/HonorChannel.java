package dev.impush.worker.channel.honor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.vendor.AuthToken;
import dev.impush.worker.channel.vendor.AuthTokenCache;
import dev.impush.worker.channel.vendor.ClientCredentialsTokenFetch;
import dev.impush.worker.channel.vendor.SendGate;
import dev.impush.worker.channel.vendor.VendorHttp;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Honor push: one device token per {@code POST /api/v1/{appId}/sendMessage} (with a {@code timestamp}
 * header in ms), authorized with an OAuth 2.0 client-credentials token that one caller fetches while
 * the others wait for it.
 *
 * <p>Outcomes: see {@link HonorResponses} (configurable codes). On an auth-expired code the failed
 * access token is dropped from the cache and {@code AuthExpired} returned: the caller's single
 * resend fetches a fresh one. A token endpoint that refuses the credentials (4xx) gives
 * {@code Rejected} with Honor's error; a token endpoint that fails transiently, like any IO failure, fails the
 * future (the caller retries).
 *
 * <p>Thread-safe and non-blocking. {@link #close()} closes the HTTP client and waits for it.
 */
public final class HonorChannel implements PushChannel {
    private static final Logger log = LoggerFactory.getLogger(HonorChannel.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Assumed token lifetime [U], used when the answer omits {@code expires_in}. */
    static final long DEFAULT_EXPIRES_IN_S = 3600;

    private final HonorConfig config;
    private final VendorHttp http;
    private final AuthTokenCache tokens;
    private final HonorMessage messages;
    private final HonorResponses responses;
    private final URI sendUrl;
    private final Clock clock;
    private final SendGate gate;

    private HonorChannel(HonorConfig config, VendorHttp http, Clock clock) {
        this.config = config;
        this.http = http;
        ClientCredentialsTokenFetch oauth = new ClientCredentialsTokenFetch(http, config.tokenUrl(), config.clientId(),
                config.clientSecret().value(), DEFAULT_EXPIRES_IN_S, "honor auth", clock);
        this.tokens = new AuthTokenCache(oauth::fetch, config.tokenRefreshMargin(), clock);
        this.messages = new HonorMessage(config, clock);
        this.responses = new HonorResponses(clock, config.codes(), config.rateLimitBackoff(), config.quotaZone());
        this.sendUrl = config.sendUrl();
        this.gate = new SendGate("Honor", http);
        this.clock = clock;
    }

    /** Builds the channel; no connection is made until the first send. */
    public static HonorChannel create(HonorConfig config, Clock clock) {
        HonorChannel channel = new HonorChannel(config,
                VendorHttp.withTimeouts(CONNECT_TIMEOUT, config.requestTimeout()), clock);
        log.info("Honor channel ready: app {}, push {}, token {}, importance {}", config.appId(),
                config.pushBaseUrl(), config.tokenUrl(), config.importance());
        return channel;
    }

    @Override
    public Channel channel() {
        return Channel.HONOR;
    }

    @Override
    public CompletableFuture<SendOutcome> send(Delivery delivery) {
        return gate.send(() -> sendOpen(delivery));
    }

    private CompletableFuture<SendOutcome> sendOpen(Delivery delivery) {
        Optional<ObjectNode> body;
        try {
            body = messages.render(delivery);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (body.isEmpty()) {
            // only custom data can do this (the text is trimmed)
            log.warn("Honor message {} exceeds {} bytes with an empty body: custom data too large",
                    delivery.messageId(), HonorMessage.MAX_BYTES);
            return CompletableFuture.completedFuture(new SendOutcome.Rejected("honor payload > 4 KB"));
        }
        String token = delivery.target().token();
        return tokens.sendWith(config.appId(), auth -> http.postJson(sendUrl, headers(auth), body.get())
                        .thenApply(r -> outcome(token, r)))
                .exceptionallyCompose(ClientCredentialsTokenFetch::refusedAsRejected);
    }

    private Map<String, String> headers(AuthToken auth) {
        return Map.of("Authorization", "Bearer " + auth.value(), "timestamp", Long.toString(clock.millis()));
    }

    private SendOutcome outcome(String token, VendorHttp.Response r) {
        SendOutcome outcome = responses.map(r.status(), r.body(), r.retryAfter(), token);
        if (!(outcome instanceof SendOutcome.Delivered)) {
            log.debug("Honor answered {} for {}: {}", r.status(), Tokens.mask(token), outcome);
        }
        return outcome;
    }

    /** Idempotent; waits for the HTTP client to close. */
    @Override
    public void close() {
        gate.close();
    }
}
