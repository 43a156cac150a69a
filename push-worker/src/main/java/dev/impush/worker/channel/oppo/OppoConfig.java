package dev.impush.worker.channel.oppo;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.VendorEnv;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import static dev.impush.worker.channel.http.Checks.requirePositive;
import static dev.impush.worker.channel.http.Checks.requireText;

/**
 * How to reach OPPO push ({@code POST /server/v1/auth}, {@code POST
 * /server/v1/message/notification/unicast}). Immutable; build it with {@link #of} or
 * {@link #fromEnv}.
 *
 * @param appKey            OPPO's AppKey (also the auth-token cache key)
 * @param masterSecret      OPPO's MasterSecret (not the AppSecret): only hashed into the auth sign,
 *                          never sent or logged
 * @param settings          base URL ({@value #DEFAULT_BASE_URL}, China; overseas apps use
 *                          {@value #OVERSEAS_BASE_URL}), timeout, backoff after a frequency limit
 *                          (OPPO gives no reset time) and the zone whose midnight resets the daily limit
 * @param im                the IM classification: a private-message channel registered with OPPO,
 *                          plus category and notify level ([U] field values; {@code none} / 0 in
 *                          the environment = not sent)
 * @param click             what a tap does ({@code click_action_type} and its activity / URL)
 * @param fallbackText      shown when the title or body is blank (OPPO requires both)
 * @param authTokenLifetime how long a fetched auth token is used (OPPO: valid 24 h from issue)
 */
public record OppoConfig(
        String appKey,
        String masterSecret,
        VendorSettings settings,
        Classification im,
        Click click,
        String fallbackText,
        Duration authTokenLifetime) {

    public static final String APP_KEY = "IMPUSH_OPPO_APP_KEY";
    public static final String MASTER_SECRET = "IMPUSH_OPPO_MASTER_SECRET";
    public static final String MASTER_SECRET_FILE = "IMPUSH_OPPO_MASTER_SECRET_FILE";
    public static final String PREFIX = "IMPUSH_OPPO_";
    public static final String BASE_URL = "IMPUSH_OPPO_BASE_URL";
    public static final String CHANNEL_ID = "IMPUSH_OPPO_CHANNEL_ID";
    public static final String CATEGORY = "IMPUSH_OPPO_CATEGORY";
    public static final String NOTIFY_LEVEL = "IMPUSH_OPPO_NOTIFY_LEVEL";
    public static final String CLICK_ACTION_TYPE = "IMPUSH_OPPO_CLICK_ACTION_TYPE";
    public static final String CLICK_ACTION_ACTIVITY = "IMPUSH_OPPO_CLICK_ACTION_ACTIVITY";
    public static final String CLICK_ACTION_URL = "IMPUSH_OPPO_CLICK_ACTION_URL";
    public static final String FALLBACK_TEXT = "IMPUSH_OPPO_FALLBACK_TEXT";
    public static final String AUTH_TOKEN_TTL_MS = "IMPUSH_OPPO_AUTH_TOKEN_TTL_MS";

    public static final String DEFAULT_BASE_URL = "https://api.push.oppomobile.com";
    public static final String OVERSEAS_BASE_URL = "https://api-intl.push.oppomobile.com";
    /** The Android notification channel the app creates and registers with OPPO as private messages. */
    public static final String DEFAULT_CHANNEL_ID = "impush_im";
    /** [U] OPPO's IM category value. */
    public static final String DEFAULT_CATEGORY = "IM";
    /** [U] OPPO notify level 2: notification bar and lock screen. */
    public static final int DEFAULT_NOTIFY_LEVEL = 2;
    public static final Click DEFAULT_CLICK = new Click(0, Optional.empty(), Optional.empty());
    public static final String DEFAULT_FALLBACK_TEXT = "New message";
    /** OPPO tokens are valid 24 h; one hour early, so no send carries a token about to die. */
    public static final Duration DEFAULT_AUTH_TOKEN_LIFETIME = Duration.ofHours(23);

    /**
     * OPPO's IM class: {@code channel_id} (a private-message channel, required for IM), and the
     * {@code category} / {@code notify_level} values ([U]; blank / 0 = not sent).
     */
    public record Classification(String channelId, String category, int notifyLevel) {
        public Classification {
            if (channelId == null || channelId.isBlank()) {
                throw new IllegalArgumentException("channelId must not be blank");
            }
            category = category == null ? "" : category;
            if (notifyLevel < 0) {
                throw new IllegalArgumentException("notifyLevel must not be negative: " + notifyLevel);
            }
        }
    }

    /**
     * OPPO {@code click_action_type}: 0 open the app, 1 an activity by intent action, 2 a URL,
     * 4 an activity by class name, 5 an intent scheme URL; 1/4 need an activity, 2/5 a URL.
     */
    public record Click(int type, Optional<String> activity, Optional<String> url) {
        public Click {
            Objects.requireNonNull(activity, "activity");
            Objects.requireNonNull(url, "url");
            switch (type) {
                case 0 -> { }
                case 1, 4 -> {
                    if (activity.isEmpty()) {
                        throw new IllegalArgumentException("click_action_type " + type + " needs an activity");
                    }
                }
                case 2, 5 -> {
                    if (url.isEmpty()) {
                        throw new IllegalArgumentException("click_action_type " + type + " needs a URL");
                    }
                }
                default -> throw new IllegalArgumentException("click_action_type must be 0, 1, 2, 4 or 5: " + type);
            }
        }
    }

    public OppoConfig {
        requireText(appKey, "appKey");
        requireText(masterSecret, "masterSecret");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(im, "im");
        Objects.requireNonNull(click, "click");
        requireText(fallbackText, "fallbackText");
        requirePositive(authTokenLifetime, "authTokenLifetime");
    }

    /** Production credentials, every other setting at its default. */
    public static OppoConfig of(String appKey, String masterSecret) {
        return new OppoConfig(appKey, masterSecret, VendorSettings.defaults(DEFAULT_BASE_URL),
                new Classification(DEFAULT_CHANNEL_ID, DEFAULT_CATEGORY, DEFAULT_NOTIFY_LEVEL), DEFAULT_CLICK,
                DEFAULT_FALLBACK_TEXT, DEFAULT_AUTH_TOKEN_LIFETIME);
    }

    /**
     * Reads {@code IMPUSH_OPPO_*}. Empty when {@value #APP_KEY} is unset (OPPO disabled); with it,
     * one of {@value #MASTER_SECRET} / {@value #MASTER_SECRET_FILE} is required.
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<OppoConfig> fromEnv(Env env) {
        Optional<String> appKey = env.optional(APP_KEY);
        if (appKey.isEmpty()) {
            return Optional.empty();
        }
        String secret = VendorEnv.requiredSecret(env, MASTER_SECRET, MASTER_SECRET_FILE);
        Classification im = new Classification(env.string(CHANNEL_ID, DEFAULT_CHANNEL_ID),
                VendorEnv.omitNone(env.string(CATEGORY, DEFAULT_CATEGORY)),
                env.integer(NOTIFY_LEVEL, DEFAULT_NOTIFY_LEVEL, 0, 1 << 16));
        Click click;
        try {
            click = new Click(env.integer(CLICK_ACTION_TYPE, 0, 0, 5), env.optional(CLICK_ACTION_ACTIVITY),
                    env.optional(CLICK_ACTION_URL));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CLICK_ACTION_TYPE + ": " + e.getMessage() + " (set " + CLICK_ACTION_ACTIVITY
                    + " or " + CLICK_ACTION_URL + ")");
        }
        Duration ttl = VendorEnv.positiveMillis(env, AUTH_TOKEN_TTL_MS, DEFAULT_AUTH_TOKEN_LIFETIME);
        VendorSettings settings = VendorSettings.fromEnv(env, PREFIX, BASE_URL, VendorSettings.defaults(DEFAULT_BASE_URL));
        return Optional.of(new OppoConfig(appKey.get(), secret, settings, im, click,
                env.string(FALLBACK_TEXT, DEFAULT_FALLBACK_TEXT), ttl));
    }

    @Override
    public String toString() {
        return "OppoConfig[appKey=" + appKey + ", settings=" + settings + ", im=" + im + ", click=" + click + "]";
    }
}
