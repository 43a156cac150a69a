package dev.impush.worker.channel.huawei;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
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
 * Huawei Push Kit (HMS): one device token per {@code POST /v1/{appId}/messages:send}, authorized
 * with an OAuth 2.0 client-credentials token that one caller fetches while the others wait for it.
 *
 * <p>Outcomes: see {@link HuaweiResponses}. On 80200001/80200003 the failed access token is
 * dropped from the cache and {@code AuthExpired} returned: the caller's single resend fetches a
 * fresh one. A token endpoint that refuses the credentials (4xx) gives {@code Rejected} with
 * Huawei's error code; a token endpoint that fails transiently, like any IO failure, fails the
 * future (the caller retries).
 *
 * <p>Thread-safe and non-blocking. {@link #close()} closes the HTTP client and waits for it.
 */
public final class HuaweiChannel implements PushChannel {
    private static final Logger log = LoggerFactory.getLogger(HuaweiChannel.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Huawei's documented token lifetime, used when the answer omits {@code expires_in}. */
    static final long DEFAULT_EXPIRES_IN_S = 3600;

    private final HuaweiConfig config;
    private final VendorHttp http;
    private final AuthTokenCache tokens;
    private final HuaweiMessage messages;
    private final HuaweiResponses responses;
    private final URI sendUrl;
    private final SendGate gate;

    private HuaweiChannel(HuaweiConfig config, VendorHttp http, Clock clock) {
        this.config = config;
        this.http = http;
        ClientCredentialsTokenFetch oauth = new ClientCredentialsTokenFetch(http, config.tokenUrl(), config.appId(),
                config.appSecret().value(), DEFAULT_EXPIRES_IN_S, "huawei oauth", clock);
        this.tokens = new AuthTokenCache(oauth::fetch, config.tokenRefreshMargin(), clock);
        this.messages = new HuaweiMessage(config, clock);
        this.responses = new HuaweiResponses(clock, config.rateLimitBackoff(), config.dailyQuotaCodes(),
                config.quotaZone());
        this.sendUrl = config.sendUrl();
        this.gate = new SendGate("Huawei", http);
    }

    /** Builds the channel; no connection is made until the first send. */
    public static HuaweiChannel create(HuaweiConfig config, Clock clock) {
        HuaweiChannel channel = new HuaweiChannel(config,
                VendorHttp.withTimeouts(CONNECT_TIMEOUT, config.requestTimeout()), clock);
        log.info("Huawei channel ready: app {}, push {}, token {}, category {}, importance {}", config.appId(),
                config.pushBaseUrl(), config.tokenUrl(), config.im().category().orElse("(none)"),
                config.im().importance());
        return channel;
    }

    @Override
    public Channel channel() {
        return Channel.HUAWEI;
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
            // only custom data can do this (the text is trimmed): Huawei would answer 80300008
            log.warn("Huawei message {} exceeds {} bytes with an empty body: custom data too large",
                    delivery.messageId(), HuaweiMessage.MAX_BYTES);
            return CompletableFuture.completedFuture(new SendOutcome.Rejected("huawei payload > 4 KB (80300008)"));
        }
        String token = delivery.target().token();
        return tokens.sendWith(config.appId(), auth -> http.postJson(sendUrl, Map.of("Authorization", "Bearer " + auth.value()), body.get())
                        .thenApply(r -> outcome(token, r)))
                .exceptionallyCompose(ClientCredentialsTokenFetch::refusedAsRejected);
    }

    private SendOutcome outcome(String token, VendorHttp.Response r) {
        SendOutcome outcome = responses.map(r.status(), r.body(), r.retryAfter(), token);
        if (!(outcome instanceof SendOutcome.Delivered)) {
            log.debug("Huawei answered {} for {}: {}", r.status(), Tokens.mask(token), outcome);
        }
        return outcome;
    }

    /** Idempotent; waits for the HTTP client to close. */
    @Override
    public void close() {
        gate.close();
    }
}
