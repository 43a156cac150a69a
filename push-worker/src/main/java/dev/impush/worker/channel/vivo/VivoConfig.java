package dev.impush.worker.channel.vivo;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.VendorEnv;
import dev.impush.worker.channel.http.VendorSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import static dev.impush.worker.channel.http.Checks.requirePositive;
import static dev.impush.worker.channel.http.Checks.requireText;

/**
 * How to reach vivo push ({@code POST /message/auth}, {@code POST /message/send}). Immutable; build
 * it with {@link #of} or {@link #fromEnv}.
 *
 * @param appId              vivo's AppID (also the auth-token cache key)
 * @param appKey             vivo's AppKey
 * @param appSecret          vivo's AppSecret: only ever hashed into the auth sign, never sent or logged
 * @param settings           base URL ({@value #DEFAULT_BASE_URL}), timeout, backoff after a frequency
 *                           limit (vivo gives no reset time) and the zone whose midnight resets the quota
 * @param im                 the message class: IM pushes must go as system class ({@code classification=1,
 *                           category=IM}), which the app must be granted by vivo
 * @param click              what a tap does ({@code skipType}/{@code skipContent})
 * @param fallbackText       shown when the title or body is blank (vivo requires both; the body is
 *                           blank when the user hides previews)
 * @param authTokenLifetime  how long a fetched auth token is used: vivo's tokens live 24 h but vivo
 *                           recommends refreshing every 1–2 h, and the answer carries no expiry
 * @param authExpiredCodes   {@code result} codes meaning "auth token expired" ([U] in the reference: 10000)
 */
public record VivoConfig(
        String appId,
        String appKey,
        String appSecret,
        VendorSettings settings,
        Classification im,
        Click click,
        String fallbackText,
        Duration authTokenLifetime,
        Set<Integer> authExpiredCodes) {

    public static final String APP_ID = "IMPUSH_VIVO_APP_ID";
    public static final String APP_KEY = "IMPUSH_VIVO_APP_KEY";
    public static final String APP_SECRET = "IMPUSH_VIVO_APP_SECRET";
    public static final String APP_SECRET_FILE = "IMPUSH_VIVO_APP_SECRET_FILE";
    public static final String PREFIX = "IMPUSH_VIVO_";
    public static final String BASE_URL = "IMPUSH_VIVO_BASE_URL";
    public static final String CLASSIFICATION = "IMPUSH_VIVO_CLASSIFICATION";
    public static final String CATEGORY = "IMPUSH_VIVO_CATEGORY";
    public static final String SKIP_TYPE = "IMPUSH_VIVO_SKIP_TYPE";
    public static final String SKIP_CONTENT = "IMPUSH_VIVO_SKIP_CONTENT";
    public static final String FALLBACK_TEXT = "IMPUSH_VIVO_FALLBACK_TEXT";
    public static final String AUTH_TOKEN_TTL_MS = "IMPUSH_VIVO_AUTH_TOKEN_TTL_MS";
    public static final String AUTH_EXPIRED_CODES = "IMPUSH_VIVO_AUTH_EXPIRED_CODES";

    public static final String DEFAULT_BASE_URL = "https://api-push.vivo.com.cn";
    public static final Classification DEFAULT_IM = new Classification(1, "IM");
    public static final Click DEFAULT_CLICK = new Click(1, Optional.empty());
    public static final String DEFAULT_FALLBACK_TEXT = "New message";
    public static final Duration DEFAULT_AUTH_TOKEN_LIFETIME = Duration.ofHours(1);
    public static final Set<Integer> DEFAULT_AUTH_EXPIRED_CODES = Set.of(10000);

    /**
     * vivo's message class. {@code classification}: 0 operation (capped per device per day), 1 system
     * (IM, not capped); {@code category}: the system sub-class ({@code IM}), blank to omit.
     */
    public record Classification(int classification, String category) {
        public Classification {
            if (classification != 0 && classification != 1) {
                throw new IllegalArgumentException("classification must be 0 or 1: " + classification);
            }
            category = category == null ? "" : category;
        }
    }

    /** vivo {@code skipType}: 1 open the app, 2 URL, 3 custom, 4 in-app page; 2–4 need {@code skipContent}. */
    public record Click(int skipType, Optional<String> skipContent) {
        public Click {
            if (skipType < 1 || skipType > 4) {
                throw new IllegalArgumentException("skipType must be 1..4: " + skipType);
            }
            Objects.requireNonNull(skipContent, "skipContent");
            if (skipType != 1 && skipContent.isEmpty()) {
                throw new IllegalArgumentException("skipType " + skipType + " needs skipContent");
            }
        }
    }

    public VivoConfig {
        requireText(appId, "appId");
        requireText(appKey, "appKey");
        requireText(appSecret, "appSecret");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(im, "im");
        Objects.requireNonNull(click, "click");
        requireText(fallbackText, "fallbackText");
        requirePositive(authTokenLifetime, "authTokenLifetime");
        authExpiredCodes = Set.copyOf(authExpiredCodes);
    }

    /** Production credentials, every other setting at its default. */
    public static VivoConfig of(String appId, String appKey, String appSecret) {
        return new VivoConfig(appId, appKey, appSecret, VendorSettings.defaults(DEFAULT_BASE_URL), DEFAULT_IM,
                DEFAULT_CLICK, DEFAULT_FALLBACK_TEXT, DEFAULT_AUTH_TOKEN_LIFETIME, DEFAULT_AUTH_EXPIRED_CODES);
    }

    /**
     * Reads {@code IMPUSH_VIVO_*}. Empty when {@value #APP_ID} is unset (vivo disabled); with it,
     * {@value #APP_KEY} and one of {@value #APP_SECRET} / {@value #APP_SECRET_FILE} are required.
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<VivoConfig> fromEnv(Env env) {
        Optional<String> appId = env.optional(APP_ID);
        if (appId.isEmpty()) {
            return Optional.empty();
        }
        String appKey = env.optional(APP_KEY).orElseThrow(() -> new ConfigException(APP_KEY + " is required when " + APP_ID + " is set"));
        String secret = VendorEnv.requiredSecret(env, APP_SECRET, APP_SECRET_FILE);
        int classification = env.integer(CLASSIFICATION, DEFAULT_IM.classification(), 0, 1);
        Classification im = new Classification(classification, 
                VendorEnv.omitNone(env.string(CATEGORY, classification == 1 ? DEFAULT_IM.category() : "none")));
        int skipType = env.integer(SKIP_TYPE, DEFAULT_CLICK.skipType(), 1, 4);
        Optional<String> skipContent = env.optional(SKIP_CONTENT);
        if (skipType != 1 && skipContent.isEmpty()) {
            throw new ConfigException(SKIP_CONTENT + " is required when " + SKIP_TYPE + "=" + skipType);
        }
        Duration ttl = VendorEnv.positiveMillis(env, AUTH_TOKEN_TTL_MS, DEFAULT_AUTH_TOKEN_LIFETIME);
        Set<Integer> expiredCodes = VendorEnv.intCodes(env, AUTH_EXPIRED_CODES, DEFAULT_AUTH_EXPIRED_CODES);
        VendorSettings settings = VendorSettings.fromEnv(env, PREFIX, BASE_URL, VendorSettings.defaults(DEFAULT_BASE_URL));
        return Optional.of(new VivoConfig(appId.get(), appKey, secret, settings, im, new Click(skipType, skipContent),
                env.string(FALLBACK_TEXT, DEFAULT_FALLBACK_TEXT), ttl, expiredCodes));
    }

    @Override
    public String toString() {
        return "VivoConfig[appId=" + appId + ", settings=" + settings + ", im=" + im + ", click=" + click + "]";
    }
}
