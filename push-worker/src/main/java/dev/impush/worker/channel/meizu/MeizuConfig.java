package dev.impush.worker.channel.meizu;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.Checks;
import dev.impush.worker.channel.http.VendorEnv;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach Meizu (Flyme) push ({@code pushByPushId}). Immutable; build it with {@link #of} or
 * {@link #fromEnv}, adjust with the {@code with…} methods.
 *
 * @param appId            the Flyme app id (the {@code appId} form field)
 * @param appSecret        signs every request (MD5, see {@link MeizuSign}); never sent
 * @param baseUrl          {@code https://server-api-push.meizu.com} by default
 * @param noticeMsgType    {@code noticeBarInfo.noticeMsgType}: 1 = private message (IM, not capped),
 *                         0 = public; the app must be granted the private class by Meizu
 * @param requestTimeout   timeout of one HTTP request
 * @param rateLimitBackoff hold-off after a frequency limit (Meizu sends no reset time)
 * @param quotaZone        where the daily quota resets at midnight (Asia/Shanghai)
 * @param dailyQuotaCodes  rate-limit codes that mean "daily quota used up" (hold off until the next
 *                         reset rather than for the backoff): top-level 110019 and per-target
 *                         110011 by default [U: the reference lists both as rate limits only]
 */
public record MeizuConfig(
        String appId,
        String appSecret,
        URI baseUrl,
        int noticeMsgType,
        Duration requestTimeout,
        Duration rateLimitBackoff,
        ZoneId quotaZone,
        Set<String> dailyQuotaCodes) {

    public static final String APP_ID = "IMPUSH_MEIZU_APP_ID";
    public static final String APP_SECRET = "IMPUSH_MEIZU_APP_SECRET";
    public static final String APP_SECRET_FILE = "IMPUSH_MEIZU_APP_SECRET_FILE";
    public static final String BASE_URL = "IMPUSH_MEIZU_BASE_URL";
    public static final String NOTICE_MSG_TYPE = "IMPUSH_MEIZU_NOTICE_MSG_TYPE";
    public static final String TIMEOUT_MS = "IMPUSH_MEIZU_TIMEOUT_MS";
    public static final String RATE_LIMIT_BACKOFF_MS = "IMPUSH_MEIZU_RATE_LIMIT_BACKOFF_MS";
    public static final String QUOTA_ZONE = "IMPUSH_MEIZU_QUOTA_ZONE";
    public static final String DAILY_QUOTA_CODES = "IMPUSH_MEIZU_DAILY_QUOTA_CODES";

    public static final URI DEFAULT_BASE_URL = URI.create("https://server-api-push.meizu.com");
    public static final int PRIVATE_MESSAGE = 1;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_RATE_LIMIT_BACKOFF = Duration.ofSeconds(60);
    public static final ZoneId DEFAULT_QUOTA_ZONE = ZoneId.of("Asia/Shanghai");
    public static final Set<String> DEFAULT_DAILY_QUOTA_CODES = Set.of("110019", "110011");

    public MeizuConfig {
        if (appId == null || appId.isBlank()) {
            throw new IllegalArgumentException("appId must not be blank");
        }
        if (appSecret == null || appSecret.isBlank()) {
            throw new IllegalArgumentException("appSecret must not be blank");
        }
        VendorEnv.checkOrigin(baseUrl);
        if (noticeMsgType != 0 && noticeMsgType != 1) {
            throw new IllegalArgumentException("noticeMsgType must be 0 (public) or 1 (private): " + noticeMsgType);
        }
        Checks.requirePositive(requestTimeout, "requestTimeout");
        Checks.requireNotNegative(rateLimitBackoff, "rateLimitBackoff");
        Objects.requireNonNull(quotaZone, "quotaZone");
        dailyQuotaCodes = Set.copyOf(dailyQuotaCodes);
    }

    /** The app's credentials; private messages and every other setting at its default. */
    public static MeizuConfig of(String appId, String appSecret) {
        return new MeizuConfig(appId, appSecret, DEFAULT_BASE_URL, PRIVATE_MESSAGE, DEFAULT_TIMEOUT,
                DEFAULT_RATE_LIMIT_BACKOFF, DEFAULT_QUOTA_ZONE, DEFAULT_DAILY_QUOTA_CODES);
    }

    @Override
    public String toString() {
        return "MeizuConfig[appId=" + appId + ", appSecret=***, baseUrl=" + baseUrl + ", noticeMsgType="
                + noticeMsgType + ", requestTimeout=" + requestTimeout + ", rateLimitBackoff=" + rateLimitBackoff
                + ", quotaZone=" + quotaZone + ", dailyQuotaCodes=" + dailyQuotaCodes + "]";
    }

    /**
     * Reads {@code IMPUSH_MEIZU_*}. Empty when neither {@value #APP_SECRET} nor {@value #APP_SECRET_FILE}
     * is set (Meizu disabled); then {@value #APP_ID} is required.
     *
     * @throws ConfigException naming the variable that is wrong
     */
    public static Optional<MeizuConfig> fromEnv(Env env) {
        Optional<String> secret = VendorEnv.optionalSecret(env, APP_SECRET, APP_SECRET_FILE);
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        String appId = env.optional(APP_ID).orElseThrow(() -> new ConfigException(
                APP_ID + " is required with " + APP_SECRET));
        URI baseUrl = VendorEnv.originUrl(env, BASE_URL, DEFAULT_BASE_URL);
        int type = env.integer(NOTICE_MSG_TYPE, PRIVATE_MESSAGE, 0, 1);
        Duration timeout = VendorEnv.positiveMillis(env, TIMEOUT_MS, DEFAULT_TIMEOUT);
        Set<String> daily = VendorEnv.codes(env, DAILY_QUOTA_CODES, DEFAULT_DAILY_QUOTA_CODES);
        ZoneId zone = VendorEnv.zone(env, QUOTA_ZONE, DEFAULT_QUOTA_ZONE);
        return Optional.of(new MeizuConfig(appId, secret.get(), baseUrl, type, timeout,
                env.millis(RATE_LIMIT_BACKOFF_MS, DEFAULT_RATE_LIMIT_BACKOFF.toMillis()), zone, daily));
    }
}
