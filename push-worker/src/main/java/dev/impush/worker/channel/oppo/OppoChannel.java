package dev.impush.worker.channel.oppo;

import dev.impush.model.Channel;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.AuthCallRefused;
import dev.impush.worker.channel.http.AuthToken;
import dev.impush.worker.channel.http.AuthTokenCache;
import dev.impush.worker.channel.http.Digests;
import dev.impush.worker.channel.http.HttpChannel;
import dev.impush.worker.channel.http.VendorAuth;
import dev.impush.worker.channel.http.VendorHttp;
import dev.impush.worker.channel.http.VendorSettings;
import dev.impush.worker.receipt.ReceiptSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OPPO push: one registration id per {@code POST /server/v1/message/notification/unicast} (form
 * fields {@code auth_token} and {@code message}), with an auth token from
 * {@code POST /server/v1/auth} signed {@code sha256hex(app_key + timestamp + master_secret)}.
 *
 * <p>Auth: one token per app key in an {@link AuthTokenCache}, fetched by one caller while
 * concurrent sends wait, used for {@link OppoConfig#authTokenLifetime()} (OPPO: 24 h). On an
 * auth-expired answer (11, 29) the failed token is dropped and {@link SendOutcome.AuthExpired}
 * returned; the caller's single resend fetches a fresh one. An auth call OPPO refuses (bad sign,
 * bad timestamp, bad app key) becomes that send's outcome.
 */
public final class OppoChannel extends HttpChannel {
    private static final Logger log = LoggerFactory.getLogger(OppoChannel.class);
    static final String AUTH_PATH = "/server/v1/auth";
    static final String UNICAST_PATH = "/server/v1/message/notification/unicast";

    private final OppoConfig config;
    private final Clock clock;
    private final OppoPayload payload;
    private final VendorSettings settings;
    private final VendorAuth auth;
    private final URI authUri;
    private final URI unicastUri;

    private OppoChannel(OppoConfig config, Clock clock, ReceiptSettings receipts) {
        super(Channel.OPPO, "OPPO", config.settings());
        this.config = config;
        this.clock = clock;
        this.payload = new OppoPayload(config, clock, receipts);
        this.settings = config.settings();
        // the lifetime is already cut short of OPPO's 24 h by configuration: no extra margin
        this.auth = VendorAuth.tokens(new AuthTokenCache(app -> fetchToken(), Duration.ZERO, clock), config.appKey());
        this.authUri = settings.url(AUTH_PATH);
        this.unicastUri = settings.url(UNICAST_PATH);
    }

    /** Builds the channel; no network call is made until the first send. */
    public static OppoChannel create(OppoConfig config, Clock clock) {
        return create(config, clock, null);
    }

    /** Builds the channel; its pushes ask for delivery receipts when {@code receipts} is not null. */
    public static OppoChannel create(OppoConfig config, Clock clock, ReceiptSettings receipts) {
        log.info("OPPO channel for app key {} via {} (channel_id '{}', category '{}', notify_level {})",
                config.appKey(), config.settings().baseUrl(), config.im().channelId(), config.im().category(),
                config.im().notifyLevel());
        return new OppoChannel(config, clock, receipts);
    }

    @Override
    protected VendorAuth auth() {
        return auth;
    }

    @Override
    protected Prepared prepare(Delivery delivery) {
        if (delivery.notification().silent()) {
            // OPPO's server API sends notifications only; it has no data-only (pass-through) message
            return new Prepared.Answer(new SendOutcome.Rejected("oppo: silent pushes are not supported"));
        }
        String message = new String(Json.write(payload.render(delivery)), StandardCharsets.UTF_8);
        return new Prepared.Post(token -> {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("auth_token", token.value());
            form.put("message", message);
            return VendorHttp.Request.form(unicastUri, Map.of(), form);
        });
    }

    @Override
    protected SendOutcome answer(VendorHttp.Response r, Delivery delivery) {
        return OppoResponses.send(r.status(), r.json(), clock, settings);
    }

    private CompletableFuture<AuthToken> fetchToken() {
        long timestamp = clock.millis();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("app_key", config.appKey());
        form.put("timestamp", Long.toString(timestamp));
        form.put("sign", sign(config.appKey(), timestamp, config.masterSecret()));
        return http.postForm(authUri, Map.of(), form).thenApply(r -> {
            if (r.status() >= 500) {
                throw new AuthCallRefused(SendOutcome.retry("oppo auth HTTP " + r.status()));
            }
            var json = r.json();
            int code = json.path("code").asInt(Integer.MIN_VALUE);
            String token = json.path("data").path("auth_token").asText("");
            if (code == OppoResponses.OK && !token.isEmpty()) {
                return new AuthToken(token, clock.instant().plus(config.authTokenLifetime()));
            }
            SendOutcome outcome = OppoResponses.code(code, "auth: " + json.path("message").asText("HTTP " + r.status()), clock, settings);
            // neither "expired" nor "invalid token" from the auth call itself can be cured by another auth call
            throw new AuthCallRefused(switch (outcome) {
                case SendOutcome.AuthExpired a -> new SendOutcome.Rejected(a.reason());
                case SendOutcome.InvalidToken t -> new SendOutcome.Rejected(t.reason());
                default -> outcome;
            });
        });
    }

    /** {@code sha256hex(app_key + timestamp + master_secret)}, lowercase: OPPO's auth sign. */
    static String sign(String appKey, long timestamp, String masterSecret) {
        return Digests.sha256Hex(appKey + timestamp + masterSecret);
    }
}
