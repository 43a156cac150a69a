package dev.impush.worker.channel.harmony;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.AuthToken;
import dev.impush.worker.channel.http.AuthTokenCache;
import dev.impush.worker.channel.http.HttpChannel;
import dev.impush.worker.channel.http.VendorAuth;
import dev.impush.worker.channel.http.VendorHttp;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push Kit for HarmonyOS NEXT: one device token per {@code POST /v3/{projectId}/messages:send}, with
 * the {@code push-type} header {@link HarmonyMessage} chose, authorized by a JWT the service account
 * signs ({@link HarmonyServiceAccount}) and sends as the bearer token. The JWT is cached and replaced
 * ahead of its expiry like the other vendors' access tokens ({@link AuthTokenCache}); on 80200005 or
 * 80200001 it is dropped and {@code AuthExpired} returned, so the caller's single resend signs a new
 * one. Outcomes: see {@link HarmonyResponses}.
 */
public final class HarmonyChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(HarmonyChannel.class);

    private final HarmonyConfig config;
    private final Clock clock;
    private final VendorAuth auth;
    private final HarmonyMessage messages;
    private final HarmonyResponses responses;

    private HarmonyChannel(HarmonyConfig config, Clock clock) {
        super(Channel.HARMONY, "Harmony", config.settings());
        this.config = config;
        this.clock = clock;
        HarmonyServiceAccount account = config.account();
        this.auth = VendorAuth.tokens(new AuthTokenCache(key -> {
            Instant now = clock.instant();
            return CompletableFuture.completedFuture(
                    new AuthToken(account.jwt(now, config.jwtLifetime()), now.plus(config.jwtLifetime())));
        }, HarmonyConfig.JWT_REFRESH_MARGIN, clock), account.keyId());
        this.messages = new HarmonyMessage(config, clock);
        this.responses = new HarmonyResponses(clock, config);
    }

    /** Builds the channel; no connection is made until the first send. */
    public static HarmonyChannel create(HarmonyConfig config, Clock clock) {
        log.info("HarmonyOS channel ready: project {}, push {}, {}, category {}, calls as {}", config.projectId(),
                config.settings().baseUrl(), config.account(), config.category(), config.calls());
        return new HarmonyChannel(config, clock);
    }

    @Override
    protected VendorAuth auth() {
        return auth;
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        HarmonyMessage.Rendered r = messages.render(delivery);
        String pushType = Integer.toString(r.pushType().header);
        return jsonPost(delivery, r.body(), HarmonyMessage.MAX_BYTES, config.sendUrl(),
                token -> Map.of("Authorization", "Bearer " + token.value(), "push-type", pushType));
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        return responses.map(r.status(), r.body(), r.retryAfter(clock.instant()), delivery.target().token());
    }
}
