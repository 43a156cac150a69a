package dev.impush.worker.channel.huawei;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.Checks;
import dev.impush.worker.channel.http.Secret;
import dev.impush.worker.channel.http.VendorEnv;
import dev.impush.worker.channel.http.VendorSettings;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach Huawei Push Kit (HMS) for one Huawei app. Immutable; read it with {@link #fromEnv}.
 *
 * @param appId            the AppGallery Connect app id ({@code /v1/{appId}/messages:send}, OAuth {@code client_id})
 * @param appSecret        the app secret (OAuth {@code client_secret}); never printed
 * @param tokenUrl         the OAuth 2.0 token endpoint
 * @param settings         the Push Kit API's base URL, timeout, backoff after flow control (HTTP
 *                         503) without {@code Retry-After}, and the zone where the daily quota resets
 * @param im               how chat pushes are classified (IM class is uncapped per device)
 * @param clickAction      an intent action the app declares for a tap; empty = open the app (click type 3)
 * @param badgeClass       the launcher activity whose badge is set; empty = no badge (Huawei needs the class)
 * @param maxTtl           the longest TTL sent [U]: 15 days unless Huawei says otherwise
 * @param dailyQuotaCodes  result codes meaning "daily quota used up" [U]: the reference names none
 * @param tokenRefreshMargin how long before its expiry an access token is replaced
 */
public record HuaweiConfig(
        String appId,
        Secret appSecret,
        URI tokenUrl,
        VendorSettings settings,
        Classification im,
        Optional<String> clickAction,
        Optional<String> badgeClass,
        Duration maxTtl,
        Set<String> dailyQuotaCodes,
        Duration tokenRefreshMargin) {

    public static final String PREFIX = "IMPUSH_HUAWEI_";
    public static final String APP_ID = "IMPUSH_HUAWEI_APP_ID";
    public static final String APP_SECRET = "IMPUSH_HUAWEI_APP_SECRET";
    public static final String APP_SECRET_FILE = "IMPUSH_HUAWEI_APP_SECRET_FILE";
    public static final String TOKEN_URL = "IMPUSH_HUAWEI_TOKEN_URL";
    public static final String PUSH_URL = "IMPUSH_HUAWEI_PUSH_URL";
    public static final String CATEGORY = "IMPUSH_HUAWEI_CATEGORY";
    public static final String IMPORTANCE = "IMPUSH_HUAWEI_IMPORTANCE";
    public static final String CHANNEL_ID = "IMPUSH_HUAWEI_CHANNEL_ID";
    public static final String CLICK_ACTION = "IMPUSH_HUAWEI_CLICK_ACTION";
    public static final String BADGE_CLASS = "IMPUSH_HUAWEI_BADGE_CLASS";
    public static final String MAX_TTL_S = "IMPUSH_HUAWEI_MAX_TTL_S";
    public static final String DAILY_QUOTA_CODES = "IMPUSH_HUAWEI_DAILY_QUOTA_CODES";
    public static final String TOKEN_REFRESH_MARGIN_MS = "IMPUSH_HUAWEI_TOKEN_REFRESH_MARGIN_MS";

    public static final URI DEFAULT_TOKEN_URL = URI.create("https://oauth-login.cloud.huawei.com/oauth2/v3/token");
    public static final VendorSettings DEFAULT_SETTINGS = VendorSettings.defaults("https://push-api.cloud.huawei.com");
    public static final String DEFAULT_CATEGORY = "IM";
    public static final String DEFAULT_IMPORTANCE = "NORMAL";
    public static final Duration DEFAULT_MAX_TTL = Duration.ofDays(15);
    /** Huawei tokens live 3600 s; replace them 5 minutes early. */
    public static final Duration DEFAULT_TOKEN_REFRESH_MARGIN = Duration.ofMinutes(5);
    private static final Set<String> IMPORTANCES = Set.of("LOW", "NORMAL", "HIGH");

    /**
     * The IM classification of chat pushes.
     *
     * @param category   {@code android.category}; {@code IM} needs Huawei's self-classification right;
     *                   empty = let Huawei classify (marketing caps may apply)
     * @param importance {@code android.notification.importance}: LOW, NORMAL (IM) or HIGH
     * @param channelId  {@code android.notification.channel_id}: the app's own notification channel, if any
     */
    public record Classification(Optional<String> category, String importance, Optional<String> channelId) {
        public Classification {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(channelId, "channelId");
            if (!IMPORTANCES.contains(importance)) {
                throw new IllegalArgumentException("importance must be LOW, NORMAL or HIGH: " + importance);
            }
        }
    }

    public HuaweiConfig {
        if (appId == null || appId.isBlank()) {
            throw new IllegalArgumentException("appId must not be blank");
        }
        Objects.requireNonNull(appSecret, "appSecret");
        Objects.requireNonNull(tokenUrl, "tokenUrl");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(im, "im");
        Objects.requireNonNull(clickAction, "clickAction");
        Objects.requireNonNull(badgeClass, "badgeClass");
        dailyQuotaCodes = Set.copyOf(dailyQuotaCodes);
        if (maxTtl == null || maxTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("maxTtl must be at least 1 s: " + maxTtl);
        }
        Checks.requireNotNegative(tokenRefreshMargin, "tokenRefreshMargin");
    }

    /** Where messages for this app are sent. */
    public URI sendUrl() {
        return settings.url("/v1/" + appId + "/messages:send");
    }

    /**
     * Reads {@code IMPUSH_HUAWEI_*}. Empty when {@value #APP_ID} is unset (Huawei disabled).
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<HuaweiConfig> fromEnv(Env env) {
        Optional<String> appId = env.optional(APP_ID);
        if (appId.isEmpty()) {
            return Optional.empty();
        }
        Secret secret = new Secret(VendorEnv.requiredSecret(env, APP_SECRET, APP_SECRET_FILE));
        String importance = env.string(IMPORTANCE, DEFAULT_IMPORTANCE).toUpperCase(java.util.Locale.ROOT);
        if (!IMPORTANCES.contains(importance)) {
            throw new ConfigException(IMPORTANCE + "=" + importance + " must be LOW, NORMAL or HIGH");
        }
        String category = env.string(CATEGORY, DEFAULT_CATEGORY);
        Classification im = new Classification(
                "none".equalsIgnoreCase(category) ? Optional.empty() : Optional.of(category),
                importance, env.optional(CHANNEL_ID));
        return Optional.of(new HuaweiConfig(appId.get(), secret,
                VendorEnv.httpUrl(env, TOKEN_URL, DEFAULT_TOKEN_URL),
                VendorSettings.fromEnv(env, PREFIX, PUSH_URL, DEFAULT_SETTINGS), im,
                env.optional(CLICK_ACTION), env.optional(BADGE_CLASS),
                Duration.ofSeconds(env.integer(MAX_TTL_S, (int) DEFAULT_MAX_TTL.toSeconds(), 1, Integer.MAX_VALUE)),
                VendorEnv.codes(env, DAILY_QUOTA_CODES, Set.of()),
                env.millis(TOKEN_REFRESH_MARGIN_MS, DEFAULT_TOKEN_REFRESH_MARGIN.toMillis())));
    }
}
