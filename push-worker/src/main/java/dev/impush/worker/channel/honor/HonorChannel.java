package dev.impush.worker.channel.honor;

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
 * Honor push: one device token per {@code POST /api/v1/{appId}/sendMessage} (with a {@code timestamp}
 * header in ms), authorized with an OAuth 2.0 client-credentials token that one caller fetches while
 * the others wait for it.
 *
 * <p>Outcomes: see {@link HonorResponses} (configurable codes). On an auth-expired code the failed
 * access token is dropped from the cache and {@code AuthExpired} returned: the caller's single
 * resend fetches a fresh one. A token endpoint that refuses the credentials (4xx) gives
 * {@code Rejected} with Honor's error; one that fails transiently, like any IO failure, fails the future.
 */
public final class HonorChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(HonorChannel.class);
    /** Assumed token lifetime [U], used when the answer omits {@code expires_in}. */
    static final long DEFAULT_EXPIRES_IN_S = 3600;

    private final HonorConfig config;
    private final Clock clock;
    private final VendorAuth auth;
    private final HonorMessage messages;
    private final HonorResponses responses;

    private HonorChannel(HonorConfig config, Clock clock) {
        super(Channel.HONOR, "Honor", config.settings());
        this.config = config;
        this.clock = clock;
        OAuthTokenFetch oauth = OAuthTokenFetch.clientCredentials(http, config.tokenUrl(), config.clientId(),
                config.clientSecret().value(), DEFAULT_EXPIRES_IN_S, "honor auth", clock);
        this.auth = VendorAuth.tokens(new AuthTokenCache(oauth::fetch, config.tokenRefreshMargin(), clock),
                config.appId());
        this.messages = new HonorMessage(config, clock);
        this.responses = new HonorResponses(clock, config.codes(), config.settings());
    }

    /** Builds the channel; no connection is made until the first send. */
    public static HonorChannel create(HonorConfig config, Clock clock) {
        log.info("Honor channel ready: app {}, push {}, token {}, importance {}", config.appId(),
                config.settings().baseUrl(), config.tokenUrl(), config.importance());
        return new HonorChannel(config, clock);
    }

    @Override
    protected VendorAuth auth() {
        return auth;
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        return jsonPost(delivery, messages.render(delivery), HonorMessage.MAX_BYTES, config.sendUrl(),
                token -> Map.of("Authorization", "Bearer " + token.value(), "timestamp", Long.toString(clock.millis())));
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        return responses.map(r.status(), r.body(), r.retryAfter(clock.instant()), delivery.target().token());
    }
}
