package dev.impush.worker.channel;

import dev.impush.model.Channel;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.apns.ApnsConfig;
import dev.impush.worker.channel.fcm.FcmConfig;
import dev.impush.worker.channel.harmony.HarmonyConfig;
import dev.impush.worker.channel.honor.HonorConfig;
import dev.impush.worker.channel.huawei.HuaweiConfig;
import dev.impush.worker.channel.meizu.MeizuConfig;
import dev.impush.worker.channel.oppo.OppoConfig;
import dev.impush.worker.channel.vivo.VivoConfig;
import dev.impush.worker.channel.webpush.WebPushConfig;
import dev.impush.worker.channel.xiaomi.XiaomiConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The apps file ({@value #KEY}): one deployment serving several apps (the main app, a lite app, an
 * enterprise build), each with vendor credentials of its own. A properties file whose keys are an
 * app id, as devices register it ({@code appId}: the iOS bundle id, the Android package name), a dot,
 * and a channel setting:
 *
 * <pre>
 * com.example.lite.IMPUSH_APNS_KEY_FILE=/run/secrets/lite/AuthKey_ABC123DEFG.p8
 * com.example.lite.IMPUSH_APNS_KEY_ID=ABC123DEFG
 * com.example.lite.IMPUSH_APNS_TEAM_ID=DEF456GHIJ
 * com.example.lite.IMPUSH_FCM_CREDENTIALS_FILE=/run/secrets/lite/fcm-service-account.json
 * </pre>
 *
 * <p>An app's settings are the top-level ones with its own over them, except credentials
 * ({@link #CREDENTIALS}), which an app never inherits: a push is never signed with another app's
 * key (a vendor would call the token invalid, and impush would remove it). So an app listed here has
 * exactly the channels its credentials configure; an app not listed uses the top-level (shared) ones.
 * Everything else (hosts, timeouts, quotas, classification) is inherited unless the app sets it.
 */
public final class AppsFile {
    public static final String KEY = "IMPUSH_APPS_FILE";

    /** Per vendor, the settings that are credentials: an app has its own or none, never the top level's. */
    static final Map<Channel, Set<String>> CREDENTIALS = credentials();

    private static final Pattern APP_KEY = Pattern.compile("^(\\S+?)\\.(IMPUSH_("
            + Arrays.stream(Channel.values()).map(Channel::name).collect(Collectors.joining("|"))
            + ")_[A-Z0-9_]+)$");

    private final Path path;
    /** App → its settings, both in key order. */
    private final SortedMap<String, SortedMap<String, String>> settings;

    private AppsFile(Path path, SortedMap<String, SortedMap<String, String>> settings) {
        this.path = path;
        this.settings = settings;
    }

    /** The file {@value #KEY} names; empty when it is unset. */
    public static Optional<AppsFile> fromEnv(Env env) {
        return env.file(KEY).map(AppsFile::read);
    }

    /**
     * Reads and checks the file: every key is {@code <appId>.IMPUSH_<VENDOR>_<SETTING>}, and every
     * app sets a vendor's credentials.
     *
     * @throws ConfigException naming the file and the key that is wrong (never a value)
     */
    public static AppsFile read(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(KEY + "=" + path + " cannot be read: " + e.getClass().getSimpleName());
        }
        SortedMap<String, SortedMap<String, String>> settings = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            Matcher m = APP_KEY.matcher(key.trim());
            if (!m.matches()) {
                throw new ConfigException(KEY + "=" + path + ": '" + key + "' is not <appId>.IMPUSH_<VENDOR>_<SETTING>"
                        + " (a channel setting of one app; VENDOR one of " + Arrays.toString(Channel.values()) + ")");
            }
            String value = p.getProperty(key).trim();
            if (!value.isEmpty()) {
                settings.computeIfAbsent(m.group(1), a -> new TreeMap<>()).put(m.group(2), value);
            }
        }
        if (settings.isEmpty()) {
            throw new ConfigException(KEY + "=" + path + " lists no app");
        }
        AppsFile file = new AppsFile(path, settings);
        settings.keySet().forEach(app -> {
            if (file.credentialed(app).isEmpty()) {
                throw file.error(app, "sets no vendor credentials (e.g. " + app + "." + ApnsConfig.KEY_FILE + " or "
                        + app + "." + FcmConfig.CREDENTIALS_FILE + "): it would have no channel");
            }
        });
        return file;
    }

    /** The apps listed, in order. */
    public Set<String> apps() {
        return settings.keySet();
    }

    /** The vendors whose credentials {@code app} sets. */
    public Set<Channel> credentialed(String app) {
        Set<Channel> out = EnumSet.noneOf(Channel.class);
        Set<String> keys = settings.get(app).keySet();
        CREDENTIALS.forEach((c, credentials) -> {
            if (credentials.stream().anyMatch(keys::contains)) {
                out.add(c);
            }
        });
        return out;
    }

    /** {@code app}'s settings: {@code top}'s without any credentials, with the app's own over them. */
    public Env env(String app, Env top) {
        Map<String, String> merged = new TreeMap<>(top.withPrefix(""));
        merged.remove(KEY);
        CREDENTIALS.values().forEach(merged.keySet()::removeAll);
        merged.putAll(settings.get(app));
        return Env.of(merged);
    }

    /** A configuration error in {@code app}'s settings, naming the file and the app. */
    public ConfigException error(String app, String message) {
        return new ConfigException(KEY + "=" + path + ", app " + app + ": " + message);
    }

    private static Map<Channel, Set<String>> credentials() {
        Map<Channel, Set<String>> m = new EnumMap<>(Channel.class);
        m.put(Channel.APNS, Set.of(ApnsConfig.KEY_FILE, ApnsConfig.KEY_ID, ApnsConfig.TEAM_ID));
        m.put(Channel.FCM, Set.of(FcmConfig.PROJECT_ID, FcmConfig.CREDENTIALS_FILE, FcmConfig.ACCESS_TOKEN));
        m.put(Channel.XIAOMI, Set.of(XiaomiConfig.APP_SECRET, XiaomiConfig.APP_SECRET_FILE));
        m.put(Channel.HUAWEI, Set.of(HuaweiConfig.APP_ID, HuaweiConfig.APP_SECRET, HuaweiConfig.APP_SECRET_FILE));
        m.put(Channel.HONOR, Set.of(HonorConfig.APP_ID, HonorConfig.CLIENT_ID, HonorConfig.CLIENT_SECRET,
                HonorConfig.CLIENT_SECRET_FILE));
        m.put(Channel.VIVO, Set.of(VivoConfig.APP_ID, VivoConfig.APP_KEY, VivoConfig.APP_SECRET,
                VivoConfig.APP_SECRET_FILE));
        m.put(Channel.OPPO, Set.of(OppoConfig.APP_KEY, OppoConfig.MASTER_SECRET, OppoConfig.MASTER_SECRET_FILE));
        m.put(Channel.MEIZU, Set.of(MeizuConfig.APP_ID, MeizuConfig.APP_SECRET, MeizuConfig.APP_SECRET_FILE));
        m.put(Channel.WEBPUSH, Set.of(WebPushConfig.VAPID_PRIVATE_KEY, WebPushConfig.VAPID_PRIVATE_KEY_FILE,
                WebPushConfig.VAPID_PUBLIC_KEY));
        m.put(Channel.HARMONY, Set.of(HarmonyConfig.SERVICE_ACCOUNT, HarmonyConfig.SERVICE_ACCOUNT_FILE,
                HarmonyConfig.PROJECT_ID));
        return Collections.unmodifiableMap(m);
    }
}
