package dev.impush.worker.channel.honor;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.Checks;
import dev.impush.worker.channel.http.Secret;
import dev.impush.worker.channel.http.VendorEnv;
import dev.impush.worker.channel.http.VendorSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach Honor push for one Honor app. Immutable; read it with {@link #fromEnv}. Most Honor
 * facts are uncertain ([U] in {@code vendor-apis.md}): endpoints and every result code are
 * configuration, with the best-known values as defaults.
 *
 * @param appId            the Honor app id ({@code /api/v1/{appId}/sendMessage})
 * @param clientId         the OAuth {@code client_id} of the app
 * @param clientSecret     the OAuth {@code client_secret}; never printed
 * @param tokenUrl         the token endpoint [U]
 * @param settings         the push API's base URL [U], timeout, backoff after a frequency limit
 *                         without {@code Retry-After}, and the zone where the daily quota resets
 * @param importance       {@code android.notification.importance}: NORMAL (the IM/service class) or LOW
 * @param clickAction      an intent action the app declares for a tap; empty = open the app (click type 3)
 * @param badgeClass       the launcher activity whose badge is set; empty = no badge
 * @param maxTtl           the longest TTL sent [U]
 * @param codes            which result codes mean what [U]
 * @param tokenRefreshMargin how long before its expiry an access token is replaced
 */
public record HonorConfig(
        String appId,
        String clientId,
        Secret clientSecret,
        URI tokenUrl,
        VendorSettings settings,
        String importance,
        Optional<String> clickAction,
        Optional<String> badgeClass,
        Duration maxTtl,
        Codes codes,
        Duration tokenRefreshMargin) {

    public static final String PREFIX = "IMPUSH_HONOR_";
    public static final String APP_ID = "IMPUSH_HONOR_APP_ID";
    public static final String CLIENT_ID = "IMPUSH_HONOR_CLIENT_ID";
    public static final String CLIENT_SECRET = "IMPUSH_HONOR_CLIENT_SECRET";
    public static final String CLIENT_SECRET_FILE = "IMPUSH_HONOR_CLIENT_SECRET_FILE";
    public static final String TOKEN_URL = "IMPUSH_HONOR_TOKEN_URL";
    public static final String PUSH_URL = "IMPUSH_HONOR_PUSH_URL";
    public static final String IMPORTANCE = "IMPUSH_HONOR_IMPORTANCE";
    public static final String CLICK_ACTION = "IMPUSH_HONOR_CLICK_ACTION";
    public static final String BADGE_CLASS = "IMPUSH_HONOR_BADGE_CLASS";
    public static final String MAX_TTL_S = "IMPUSH_HONOR_MAX_TTL_S";
    public static final String SUCCESS_CODES = "IMPUSH_HONOR_SUCCESS_CODES";
    public static final String INVALID_TOKEN_CODES = "IMPUSH_HONOR_INVALID_TOKEN_CODES";
    public static final String AUTH_EXPIRED_CODES = "IMPUSH_HONOR_AUTH_EXPIRED_CODES";
    public static final String RATE_LIMIT_CODES = "IMPUSH_HONOR_RATE_LIMIT_CODES";
    public static final String DAILY_QUOTA_CODES = "IMPUSH_HONOR_DAILY_QUOTA_CODES";
    public static final String RETRY_CODES = "IMPUSH_HONOR_RETRY_CODES";
    public static final String TOKEN_REFRESH_MARGIN_MS = "IMPUSH_HONOR_TOKEN_REFRESH_MARGIN_MS";

    public static final URI DEFAULT_TOKEN_URL = URI.create("https://iam.developer.honor.com/auth/token");
    public static final VendorSettings DEFAULT_SETTINGS = VendorSettings.defaults("https://push-api.cloud.honor.com");
    public static final String DEFAULT_IMPORTANCE = "NORMAL";
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(15);
    public static final Duration DEFAULT_TOKEN_REFRESH_MARGIN = Duration.ofMinutes(5);
    /** [U] Honor's push API descends from Huawei's and is believed to share its 8xxxxxxx codes. */
    public static final Codes DEFAULT_CODES = new Codes(Set.of("200", "0", "80000000"), Set.of("80300007"),
            Set.of("80200001", "80200003"), Set.of(), Set.of(), Set.of("81000001"));
    private static final Set<String> IMPORTANCES = Set.of("LOW", "NORMAL");

    /**
     * What Honor's {@code code} values mean. HTTP 429/503 are always rate limits, other 5xx retries,
     * and an unlisted code is a rejection.
     */
    public record Codes(Set<String> success, Set<String> invalidToken, Set<String> authExpired,
                        Set<String> rateLimited, Set<String> dailyQuota, Set<String> retry) {
        public Codes {
            success = Set.copyOf(success);
            invalidToken = Set.copyOf(invalidToken);
            authExpired = Set.copyOf(authExpired);
            rateLimited = Set.copyOf(rateLimited);
            dailyQuota = Set.copyOf(dailyQuota);
            retry = Set.copyOf(retry);
        }
    }

    public HonorConfig {
        if (appId == null || appId.isBlank() || clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("appId and clientId must not be blank");
        }
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clickAction, "clickAction");
        Objects.requireNonNull(badgeClass, "badgeClass");
        Objects.requireNonNull(codes, "codes");
        if (!IMPORTANCES.contains(importance)) {
            throw new IllegalArgumentException("importance must be NORMAL or LOW: " + importance);
        }
        if (maxTtl == null || maxTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("maxTtl must be at least 1 s: " + maxTtl);
        }
        Checks.requireNotNegative(tokenRefreshMargin, "tokenRefreshMargin");
    }

    /** Where messages for this app are sent. */
    public URI sendUrl() {
        return settings.url("/api/v1/" + appId + "/sendMessage");
    }

    /**
     * Reads {@code IMPUSH_HONOR_*}. Empty when {@value #APP_ID} is unset (Honor disabled).
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<HonorConfig> fromEnv(Env env) {
        Optional<String> appId = env.optional(APP_ID);
        if (appId.isEmpty()) {
            return Optional.empty();
        }
        String clientId = env.required(CLIENT_ID);
        Secret secret = new Secret(VendorEnv.requiredSecret(env, CLIENT_SECRET, CLIENT_SECRET_FILE));
        String importance = env.string(IMPORTANCE, DEFAULT_IMPORTANCE).toUpperCase(Locale.ROOT);
        if (!IMPORTANCES.contains(importance)) {
            throw new ConfigException(IMPORTANCE + "=" + importance + " must be NORMAL or LOW");
        }
        Codes codes = new Codes(VendorEnv.codes(env, SUCCESS_CODES, DEFAULT_CODES.success()),
                VendorEnv.codes(env, INVALID_TOKEN_CODES, DEFAULT_CODES.invalidToken()),
                VendorEnv.codes(env, AUTH_EXPIRED_CODES, DEFAULT_CODES.authExpired()),
                VendorEnv.codes(env, RATE_LIMIT_CODES, DEFAULT_CODES.rateLimited()),
                VendorEnv.codes(env, DAILY_QUOTA_CODES, DEFAULT_CODES.dailyQuota()),
                VendorEnv.codes(env, RETRY_CODES, DEFAULT_CODES.retry()));
        return Optional.of(new HonorConfig(appId.get(), clientId, secret,
                VendorEnv.httpUrl(env, TOKEN_URL, DEFAULT_TOKEN_URL),
                VendorSettings.fromEnv(env, PREFIX, PUSH_URL, DEFAULT_SETTINGS), importance,
                env.optional(CLICK_ACTION), env.optional(BADGE_CLASS),
                Duration.ofSeconds(env.integer(MAX_TTL_S, (int) DEFAULT_MAX_TTL.toSeconds(), 1, Integer.MAX_VALUE)),
                codes, env.millis(TOKEN_REFRESH_MARGIN_MS, DEFAULT_TOKEN_REFRESH_MARGIN.toMillis())));
    }
}
