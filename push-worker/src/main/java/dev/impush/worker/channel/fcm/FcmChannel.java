package dev.impush.worker.channel.fcm;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.AuthToken;
import dev.impush.worker.channel.http.AuthTokenCache;
import dev.impush.worker.channel.http.HttpChannel;
import dev.impush.worker.channel.http.OAuthTokenFetch;
import dev.impush.worker.channel.http.VendorAuth;
import dev.impush.worker.channel.http.VendorHttp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FCM HTTP v1: one {@code POST /v1/projects/{projectId}/messages:send} per device token, at most
 * {@link VendorSettings#maxConcurrency()} in flight, authorized with an OAuth 2.0 access token that a
 * Google service account obtains by signing a JWT ({@link GoogleServiceAccount}), one fetch at a time
 * and renewed ahead of its expiry ({@link AuthTokenCache}).
 *
 * <p>Outcomes: see {@link FcmResponses}; a 401 drops the access token that failed and answers
 * {@code AuthExpired}, so the caller's single resend fetches a fresh one. A token endpoint that
 * refuses the account (4xx: unknown key, bad signature) gives {@code Rejected}; no retries here, the
 * worker's tiers decide.
 */
public final class FcmChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(FcmChannel.class);
    /** Google's access tokens live an hour; used when the answer omits {@code expires_in}. */
    static final long DEFAULT_EXPIRES_IN_S = 3600;
    /** How long before its expiry an access token is replaced. */
    static final Duration TOKEN_REFRESH_MARGIN = Duration.ofMinutes(5);

    private final FcmConfig config;
    private final Clock clock;
    private final VendorAuth auth;
    private final FcmMessage messages;
    private final FcmResponses responses;

    private FcmChannel(FcmConfig config, Clock clock) {
        super(Channel.FCM, "FCM", config.settings());
        this.config = config;
        this.clock = clock;
        this.auth = switch (config.credentials()) {
            case FcmConfig.StaticAccessToken t -> VendorAuth.fixed(new AuthToken(t.token(), Instant.MAX));
            case GoogleServiceAccount account -> VendorAuth.tokens(new AuthTokenCache(
                    OAuthTokenFetch.jwtBearer(http, account.tokenUri(), () -> account.assertion(clock.instant()),
                            DEFAULT_EXPIRES_IN_S, "fcm oauth", clock)::fetch, TOKEN_REFRESH_MARGIN, clock),
                    account.clientEmail());
        };
        this.messages = new FcmMessage(clock);
        this.responses = new FcmResponses(config.settings());
    }

    /** Builds the channel; no network call is made until the first send. */
    public static FcmChannel create(FcmConfig config, Clock clock) {
        log.info("FCM channel for project {} via {} (max {} in flight, {})", config.projectId(),
                config.settings().baseUrl(), config.settings().maxConcurrency(), config.credentials());
        return new FcmChannel(config, clock);
    }

    @Override
    protected VendorAuth auth() {
        return auth;
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        return jsonPost(delivery, messages.render(delivery), FcmMessage.MAX_BYTES, config.sendUrl(),
                token -> Map.of("Authorization", "Bearer " + token.value()));
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        return responses.map(r, clock.instant());
    }
}
