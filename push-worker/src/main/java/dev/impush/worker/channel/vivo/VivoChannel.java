package dev.impush.worker.channel.vivo;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.AuthCallRefused;
import dev.impush.worker.channel.http.AuthToken;
import dev.impush.worker.channel.http.AuthTokenCache;
import dev.impush.worker.channel.http.Digests;
import dev.impush.worker.channel.http.HttpChannel;
import dev.impush.worker.channel.http.VendorAuth;
import dev.impush.worker.channel.http.VendorHttp;
import dev.impush.worker.receipt.ReceiptSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vivo push: one regId per {@code POST /message/send}, authenticated by an {@code authToken}
 * header fetched from {@code POST /message/auth} with
 * {@code sign = md5hex(appId + appKey + timestamp + appSecret)}.
 *
 * <p>Auth: one token per app in an {@link AuthTokenCache}, fetched by one caller while concurrent
 * sends wait for it (vivo allows 10 auth calls/s per app) and used for
 * {@link VivoConfig#authTokenLifetime()}. On an auth-expired answer the failed token is dropped and
 * {@link SendOutcome.AuthExpired} returned; the caller's single resend fetches a fresh one. An auth
 * call that vivo refuses (bad sign, bad timestamp, limit) becomes that send's outcome.
 *
 */
public final class VivoChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(VivoChannel.class);
    static final String AUTH_PATH = "/message/auth";
    static final String SEND_PATH = "/message/send";

    private final VivoConfig config;
    private final Clock clock;
    private final VivoPayload payload;
    private final VivoResponses.Rules rules;
    private final VendorAuth auth;
    private final URI authUri;
    private final URI sendUri;

    private VivoChannel(VivoConfig config, Clock clock, ReceiptSettings receipts) {
        super(Channel.VIVO, "vivo", config.settings());
        this.config = config;
        this.clock = clock;
        this.payload = new VivoPayload(config, clock, receipts);
        this.rules = VivoResponses.Rules.of(config);
        // the token's lifetime is ours (vivo's answer has none): no extra margin
        this.auth = VendorAuth.tokens(new AuthTokenCache(app -> fetchToken(), Duration.ZERO, clock), config.appId());
        this.authUri = config.settings().url(AUTH_PATH);
        this.sendUri = config.settings().url(SEND_PATH);
    }

    /** Builds the channel; no network call is made until the first send. */
    public static VivoChannel create(VivoConfig config, Clock clock) {
        return create(config, clock, null);
    }

    /** Builds the channel; its pushes ask for delivery receipts when {@code receipts} is not null. */
    public static VivoChannel create(VivoConfig config, Clock clock, ReceiptSettings receipts) {
        log.info("vivo channel for app {} via {} (classification {}, category '{}')", config.appId(),
                config.settings().baseUrl(), config.im().classification(), config.im().category());
        return new VivoChannel(config, clock, receipts);
    }

    @Override
    protected VendorAuth auth() {
        return auth;
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        if (delivery.notification().silent()) {
            // vivo's server API has no data-only (pass-through) message
            return new Prepared.Answer(new SendOutcome.Rejected("vivo: silent pushes are not supported"));
        }
        Map<String, Object> body = payload.render(delivery);
        return new Prepared.Post(token -> VendorHttp.Request.json(sendUri, Map.of("authToken", token.value()), body));
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        return VivoResponses.send(r.status(), r.json(), delivery.target().token(), clock, rules);
    }

    private CompletableFuture<AuthToken> fetchToken() {
        long timestamp = clock.millis();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("appId", config.appId());
        body.put("appKey", config.appKey());
        body.put("timestamp", timestamp);
        body.put("sign", sign(config.appId(), config.appKey(), timestamp, config.appSecret()));
        return http.postJson(authUri, Map.of(), body).thenApply(r -> {
            if (r.status() >= 500) {
                throw new AuthCallRefused(SendOutcome.retry("vivo auth HTTP " + r.status()));
            }
            var json = r.json();
            int result = json.path("result").asInt(-1);
            String token = json.path("authToken").asText("");
            if (result == VivoResponses.OK && !token.isEmpty()) {
                return new AuthToken(token, clock.instant().plus(config.authTokenLifetime()));
            }
            SendOutcome outcome = VivoResponses.code(result, "auth: " + json.path("desc").asText("HTTP " + r.status()), clock, rules);
            // an "expired" code from the auth call itself cannot be cured by another auth call
            throw new AuthCallRefused(outcome instanceof SendOutcome.AuthExpired a ? new SendOutcome.Rejected(a.reason()) : outcome);
        });
    }

    /** {@code md5hex(appId + appKey + timestamp + appSecret)}, lowercase: vivo's auth sign. */
    static String sign(String appId, String appKey, long timestamp, String appSecret) {
        return Digests.md5Hex(appId + appKey + timestamp + appSecret);
    }
}
