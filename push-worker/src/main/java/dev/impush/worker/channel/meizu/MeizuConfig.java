package dev.impush.worker.channel.meizu;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.VendorEnv;
import dev.impush.worker.channel.http.VendorSettings;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to reach Meizu (Flyme) push ({@code pushByPushId}). Immutable; build it with {@link #of} or
 * {@link #fromEnv}.
 *
 * @param appId            the Flyme app id (the {@code appId} form field)
 * @param appSecret        signs every request (MD5, see {@link MeizuSign}); never sent
 * @param settings         base URL ({@code https://server-api-push.meizu.com} by default), timeout,
 *                         backoff after a frequency limit (Meizu sends no reset time) and quota zone
 * @param noticeMsgType    {@code noticeBarInfo.noticeMsgType}: 1 = private message (IM, not capped),
 *                         0 = public; the app must be granted the private class by Meizu
 * @param dailyQuotaCodes  rate-limit codes that mean "daily quota used up" (hold off until the next
 *                         reset rather than for the backoff): top-level 110019 and per-target
 *                         110011 by default [U: the reference lists both as rate limits only]
 */
public record MeizuConfig(
        String appId,
        String appSecret,
        VendorSettings settings,
        int noticeMsgType,
        Set<String> dailyQuotaCodes) {

    public static final String APP_ID = "IMPUSH_MEIZU_APP_ID";
    public static final String APP_SECRET = "IMPUSH_MEIZU_APP_SECRET";
    public static final String APP_SECRET_FILE = "IMPUSH_MEIZU_APP_SECRET_FILE";
    public static final String PREFIX = "IMPUSH_MEIZU_";
    public static final String BASE_URL = "IMPUSH_MEIZU_BASE_URL";
    public static final String NOTICE_MSG_TYPE = "IMPUSH_MEIZU_NOTICE_MSG_TYPE";
    public static final String DAILY_QUOTA_CODES = "IMPUSH_MEIZU_DAILY_QUOTA_CODES";

    public static final VendorSettings DEFAULT_SETTINGS = VendorSettings.defaults("https://server-api-push.meizu.com");
    public static final int PRIVATE_MESSAGE = 1;
    public static final Set<String> DEFAULT_DAILY_QUOTA_CODES = Set.of("110019", "110011");

    public MeizuConfig {
        if (appId == null || appId.isBlank()) {
            throw new IllegalArgumentException("appId must not be blank");
        }
        if (appSecret == null || appSecret.isBlank()) {
            throw new IllegalArgumentException("appSecret must not be blank");
        }
        Objects.requireNonNull(settings, "settings");
        if (noticeMsgType != 0 && noticeMsgType != 1) {
            throw new IllegalArgumentException("noticeMsgType must be 0 (public) or 1 (private): " + noticeMsgType);
        }
        dailyQuotaCodes = Set.copyOf(dailyQuotaCodes);
    }

    /** The app's credentials; private messages and every other setting at its default. */
    public static MeizuConfig of(String appId, String appSecret) {
        return new MeizuConfig(appId, appSecret, DEFAULT_SETTINGS, PRIVATE_MESSAGE, DEFAULT_DAILY_QUOTA_CODES);
    }

    @Override
    public String toString() {
        return "MeizuConfig[appId=" + appId + ", appSecret=***, settings=" + settings + ", noticeMsgType="
                + noticeMsgType + ", dailyQuotaCodes=" + dailyQuotaCodes + "]";
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
        return Optional.of(new MeizuConfig(appId, secret.get(), VendorSettings.fromEnv(env, PREFIX, BASE_URL,
                DEFAULT_SETTINGS), env.integer(NOTICE_MSG_TYPE, PRIVATE_MESSAGE, 0, 1),
                VendorEnv.codes(env, DAILY_QUOTA_CODES, DEFAULT_DAILY_QUOTA_CODES)));
    }
}
