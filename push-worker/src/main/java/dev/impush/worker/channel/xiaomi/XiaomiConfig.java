package dev.impush.worker.channel.xiaomi;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.Checks;
import dev.impush.worker.channel.http.VendorEnv;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Xiaomi MiPush ({@code POST /v3/message/regid}). Immutable; build it with
 * {@link #of} or {@link #fromEnv}, adjust with the {@code with…} methods.
 *
 * @param appSecret          the app's AppSecret, sent as {@code Authorization: key=<AppSecret>}
 *                           (static: MiPush has no token endpoint, nothing to refresh)
 * @param baseUrl            {@code https://api.xmpush.xiaomi.com} (China) by default; the global
 *                           host is {@code https://api.xmpush.global.xiaomi.com} (regional hosts [U])
 * @param channelId          {@code extra.channel_id}: the <em>private-message</em> notification
 *                           channel the app registered in the Xiaomi console; IM pushes sent without
 *                           it fall into the public class, capped at 5–8 per device per day
 * @param channelIdByPackage per-app overrides of {@code channelId}, keyed by package name
 *                           ({@code PushTarget.appId})
 * @param requestTimeout     timeout of one HTTP request
 * @param rateLimitBackoff   hold-off after a frequency limit (MiPush sends no reset time)
 * @param quotaZone          where the daily quota resets at midnight (Asia/Shanghai)
 * @param codeOverrides      vendor codes whose outcome differs from the built-in table (for the
 *                           [U] codes, e.g. 20301)
 */
public record XiaomiConfig(
        String appSecret,
        URI baseUrl,
        String channelId,
        Map<String, String> channelIdByPackage,
        Duration requestTimeout,
        Duration rateLimitBackoff,
        ZoneId quotaZone,
        Map<Integer, CodeClass> codeOverrides) {

    public static final String APP_SECRET = "IMPUSH_XIAOMI_APP_SECRET";
    public static final String APP_SECRET_FILE = "IMPUSH_XIAOMI_APP_SECRET_FILE";
    public static final String BASE_URL = "IMPUSH_XIAOMI_BASE_URL";
    public static final String CHANNEL_ID = "IMPUSH_XIAOMI_CHANNEL_ID";
    public static final String CHANNEL_IDS = "IMPUSH_XIAOMI_CHANNEL_IDS";
    public static final String TIMEOUT_MS = "IMPUSH_XIAOMI_TIMEOUT_MS";
    public static final String RATE_LIMIT_BACKOFF_MS = "IMPUSH_XIAOMI_RATE_LIMIT_BACKOFF_MS";
    public static final String QUOTA_ZONE = "IMPUSH_XIAOMI_QUOTA_ZONE";
    public static final String CODE_OVERRIDES = "IMPUSH_XIAOMI_CODE_OVERRIDES";

    public static final URI DEFAULT_BASE_URL = URI.create("https://api.xmpush.xiaomi.com");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RATE_LIMIT_BACKOFF = Duration.ofSeconds(60);
    public static final ZoneId DEFAULT_QUOTA_ZONE = ZoneId.of("Asia/Shanghai");

    /** What a vendor code means for the send; {@code DAILY_QUOTA} holds off until the next reset. */
    public enum CodeClass { INVALID_TOKEN, RETRY, RATE_LIMITED, DAILY_QUOTA, REJECTED }

    public XiaomiConfig {
        if (appSecret == null || appSecret.isBlank()) {
            throw new IllegalArgumentException("appSecret must not be blank");
        }
        VendorEnv.checkOrigin(baseUrl);
        if (channelId == null || channelId.isBlank()) {
            throw new IllegalArgumentException("channelId must not be blank");
        }
        channelIdByPackage = Map.copyOf(channelIdByPackage);
        Checks.requirePositive(requestTimeout, "requestTimeout");
        Checks.requireNotNegative(rateLimitBackoff, "rateLimitBackoff");
        Objects.requireNonNull(quotaZone, "quotaZone");
        codeOverrides = Map.copyOf(codeOverrides);
    }

    /** The private-message channel for the app {@code packageName}. */
    public String channelIdFor(String packageName) {
        return channelIdByPackage.getOrDefault(packageName, channelId);
    }

    @Override
    public String toString() {
        return "XiaomiConfig[appSecret=***, baseUrl=" + baseUrl + ", channelId=" + channelId
                + ", channelIdByPackage=" + channelIdByPackage + ", requestTimeout=" + requestTimeout
                + ", rateLimitBackoff=" + rateLimitBackoff + ", quotaZone=" + quotaZone
                + ", codeOverrides=" + codeOverrides + "]";
    }

    /**
     * Reads {@code IMPUSH_XIAOMI_*}. Empty when neither {@value #APP_SECRET} nor
     * {@value #APP_SECRET_FILE} is set (Xiaomi disabled); then {@value #CHANNEL_ID} is required.
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<XiaomiConfig> fromEnv(Env env) {
        Optional<String> secret = VendorEnv.optionalSecret(env, APP_SECRET, APP_SECRET_FILE);
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        String channelId = env.optional(CHANNEL_ID).orElseThrow(() -> new ConfigException(CHANNEL_ID
                + " is required with " + APP_SECRET + ": the private-message channel id registered in the"
                + " Xiaomi console (IM pushes without it are capped as public messages)"));
        URI baseUrl = VendorEnv.originUrl(env, BASE_URL, DEFAULT_BASE_URL);
        Duration timeout = VendorEnv.positiveMillis(env, TIMEOUT_MS, DEFAULT_TIMEOUT);
        return Optional.of(new XiaomiConfig(secret.get(), baseUrl, channelId,
                VendorEnv.pairs(env, CHANNEL_IDS), timeout,
                env.millis(RATE_LIMIT_BACKOFF_MS, DEFAULT_RATE_LIMIT_BACKOFF.toMillis()),
                VendorEnv.zone(env, QUOTA_ZONE, DEFAULT_QUOTA_ZONE), codeOverrides(env)));
    }

    private static Map<Integer, CodeClass> codeOverrides(Env env) {
        Map<Integer, CodeClass> out = new LinkedHashMap<>();
        VendorEnv.pairs(env, CODE_OVERRIDES).forEach((code, cls) -> {
            try {
                out.put(Integer.parseInt(code), CodeClass.valueOf(cls.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(CODE_OVERRIDES + ": '" + code + "=" + cls + "' must be <code>=<one of"
                        + " invalid-token, retry, rate-limited, daily-quota, rejected>");
            }
        });
        return out;
    }
}
