package dev.impush.worker.channel.huawei;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.AuthTokenCache;
import dev.impush.worker.channel.http.OAuthTokenFetch;
import dev.impush.worker.channel.http.HttpChannel;
import dev.impush.worker.channel.http.VendorAuth;
import dev.impush.worker.channel.http.VendorHttp;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Huawei Push Kit (HMS): one device token per {@code POST /v1/{appId}/messages:send}, authorized
 * with an OAuth 2.0 client-credentials token that one caller fetches while the others wait for it.
 *
 * <p>Outcomes: see {@link HuaweiResponses}. On 80200001/80200003 the failed access token is
 * dropped from the cache and {@code AuthExpired} returned: the caller's single resend fetches a
 * fresh one. A token endpoint that refuses the credentials (4xx) gives {@code Rejected} with
 * Huawei's error code; one that fails transiently, like any IO failure, fails the future.
 */
public final class HuaweiChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(HuaweiChannel.class);
    /** Huawei's documented token lifetime, used when the answer omits {@code expires_in}. */
    static final long DEFAULT_EXPIRES_IN_S = 3600;

    private final HuaweiConfig config;
    private final Clock clock;
    private final VendorAuth auth;
    private final HuaweiMessage messages;
    private final HuaweiResponses responses;

    private HuaweiChannel(HuaweiConfig config, Clock clock) {
        super(Channel.HUAWEI, "Huawei", config.settings());
        this.config = config;
        this.clock = clock;
        OAuthTokenFetch oauth = OAuthTokenFetch.clientCredentials(http, config.tokenUrl(), config.appId(),
                config.appSecret().value(), DEFAULT_EXPIRES_IN_S, "huawei oauth", clock);
        this.auth = VendorAuth.tokens(new AuthTokenCache(oauth::fetch, config.tokenRefreshMargin(), clock),
                config.appId());
        this.messages = new HuaweiMessage(config, clock);
        this.responses = new HuaweiResponses(clock, config.settings(), config.dailyQuotaCodes());
    }

    /** Builds the channel; no connection is made until the first send. */
    public static HuaweiChannel create(HuaweiConfig config, Clock clock) {
        log.info("Huawei channel ready: app {}, push {}, token {}, category {}, importance {}", config.appId(),
                config.settings().baseUrl(), config.tokenUrl(), config.im().category().orElse("(none)"),
                config.im().importance());
        return new HuaweiChannel(config, clock);
    }

    @Override
    protected VendorAuth auth() {
        return auth;
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        // Huawei would answer 80300008 for a body over the limit
        return jsonPost(delivery, messages.render(delivery), HuaweiMessage.MAX_BYTES, config.sendUrl(),
                token -> Map.of("Authorization", "Bearer " + token.value()));
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        return responses.map(r.status(), r.body(), r.retryAfter(clock.instant()), delivery.target().token());
    }
}
