package dev.impush.worker.channel.xiaomi;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.http.VendorEnv;
import dev.impush.worker.channel.http.VendorSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach Xiaomi MiPush ({@code POST /v3/message/regid}). Immutable; read it with
 * {@link #fromEnv}.
 *
 * @param appSecret          the app's AppSecret, sent as {@code Authorization: key=<AppSecret>}
 *                           (static: MiPush has no token endpoint, nothing to refresh)
 * @param settings           base URL ({@code https://api.xmpush.xiaomi.com}, China, by default; the
 *                           global host is {@code https://api.xmpush.global.xiaomi.com}, regional hosts
 *                           [U]), timeout, backoff after a frequency limit (MiPush sends no reset
 *                           time) and quota zone
 * @param channelId          {@code extra.channel_id}: the <em>private-message</em> notification
 *                           channel the app registered in the Xiaomi console; IM pushes sent without
 *                           it fall into the public class, capped at 5–8 per device per day
 * @param channelIdByPackage per-app overrides of {@code channelId}, keyed by package name
 *                           ({@code PushTarget.appId})
 * @param codeOverrides      vendor codes whose outcome differs from the built-in table (for the
 *                           [U] codes, e.g. 20301)
 */
public record XiaomiConfig(
        String appSecret,
        VendorSettings settings,
        String channelId,
        Map<String, String> channelIdByPackage,
        Map<Integer, CodeClass> codeOverrides) {

    public static final String APP_SECRET = "IMPUSH_XIAOMI_APP_SECRET";
    public static final String APP_SECRET_FILE = "IMPUSH_XIAOMI_APP_SECRET_FILE";
    public static final String PREFIX = "IMPUSH_XIAOMI_";
    public static final String BASE_URL = "IMPUSH_XIAOMI_BASE_URL";
    public static final String CHANNEL_ID = "IMPUSH_XIAOMI_CHANNEL_ID";
    public static final String CHANNEL_IDS = "IMPUSH_XIAOMI_CHANNEL_IDS";
    public static final String CODE_OVERRIDES = "IMPUSH_XIAOMI_CODE_OVERRIDES";

    public static final VendorSettings DEFAULT_SETTINGS = VendorSettings.defaults("https://api.xmpush.xiaomi.com");

    /** What a vendor code means for the send; {@code DAILY_QUOTA} holds off until the next reset. */
    public enum CodeClass { INVALID_TOKEN, RETRY, RATE_LIMITED, DAILY_QUOTA, REJECTED }

    public XiaomiConfig {
        if (appSecret == null || appSecret.isBlank()) {
            throw new IllegalArgumentException("appSecret must not be blank");
        }
        Objects.requireNonNull(settings, "settings");
        if (channelId == null || channelId.isBlank()) {
            throw new IllegalArgumentException("channelId must not be blank");
        }
        channelIdByPackage = Map.copyOf(channelIdByPackage);
        codeOverrides = Map.copyOf(codeOverrides);
    }

    /** The private-message channel for the app {@code packageName}. */
    public String channelIdFor(String packageName) {
        return channelIdByPackage.getOrDefault(packageName, channelId);
    }

    @Override
    public String toString() {
        return "XiaomiConfig[appSecret=***, settings=" + settings + ", channelId=" + channelId
                + ", channelIdByPackage=" + channelIdByPackage + ", codeOverrides=" + codeOverrides + "]";
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
        return Optional.of(new XiaomiConfig(secret.get(), VendorSettings.fromEnv(env, PREFIX, BASE_URL, DEFAULT_SETTINGS),
                channelId, VendorEnv.pairs(env, CHANNEL_IDS), codeOverrides(env)));
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
