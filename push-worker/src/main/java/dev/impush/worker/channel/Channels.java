package dev.impush.worker.channel;

import dev.impush.model.Channel;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.apns.ApnsChannel;
import dev.impush.worker.channel.apns.ApnsConfig;
import dev.impush.worker.channel.fcm.FcmChannel;
import dev.impush.worker.channel.fcm.FcmConfig;
import dev.impush.worker.channel.harmony.HarmonyChannel;
import dev.impush.worker.channel.harmony.HarmonyConfig;
import dev.impush.worker.channel.honor.HonorChannel;
import dev.impush.worker.channel.honor.HonorConfig;
import dev.impush.worker.channel.huawei.HuaweiChannel;
import dev.impush.worker.channel.huawei.HuaweiConfig;
import dev.impush.worker.channel.meizu.MeizuChannel;
import dev.impush.worker.channel.meizu.MeizuConfig;
import dev.impush.worker.channel.oppo.OppoChannel;
import dev.impush.worker.channel.oppo.OppoConfig;
import dev.impush.worker.channel.vivo.VivoChannel;
import dev.impush.worker.channel.vivo.VivoConfig;
import dev.impush.worker.channel.webpush.WebPushChannel;
import dev.impush.worker.channel.webpush.WebPushConfig;
import dev.impush.worker.channel.xiaomi.XiaomiChannel;
import dev.impush.worker.channel.xiaomi.XiaomiConfig;
import dev.impush.worker.receipt.ReceiptSettings;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The vendor channels of a worker, one per {@link VendorApp}: those of the top-level credentials,
 * shared by every app the apps file does not list, and those the apps file gives each app it lists
 * ({@link AppsFile}). A vendor without credentials has no channel; a device routed to none is
 * dead-lettered as {@code channel-not-configured}, with {@link #missing} saying why.
 */
public final class Channels {
    private final Map<VendorApp, PushChannel> channels;
    /** The apps the apps file lists: they use their own credentials only. */
    private final Set<String> apps;

    private Channels(Map<VendorApp, PushChannel> channels, Set<String> apps) {
        this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(channels));
        this.apps = Set.copyOf(apps);
    }

    /** Shared channels only, as without an apps file. */
    public static Channels of(Map<Channel, PushChannel> shared) {
        Map<VendorApp, PushChannel> m = new LinkedHashMap<>();
        shared.forEach((c, ch) -> m.put(VendorApp.shared(c), ch));
        return new Channels(m, Set.of());
    }

    /**
     * Builds the channels whose credentials are configured: the top level's, then each app's in the
     * apps file.
     *
     * @throws ConfigException naming the key (and the app) that is wrong; no channel is left open
     */
    public static Channels fromEnv(Env env, Clock clock) {
        ReceiptSettings receipts = ReceiptSettings.fromEnv(env).orElse(null);
        Map<VendorApp, PushChannel> out = new LinkedHashMap<>();
        Optional<AppsFile> apps = Optional.empty();
        try {
            open(env, clock, receipts).forEach((c, ch) -> out.put(VendorApp.shared(c), ch));
            apps = AppsFile.fromEnv(env);
            apps.ifPresent(file -> file.apps().forEach(app -> {
                Map<Channel, PushChannel> own;
                try {
                    own = open(file.env(app, env), clock, receipts);
                } catch (ConfigException e) {
                    throw file.error(app, e.getMessage());
                }
                own.forEach((c, ch) -> out.put(VendorApp.of(c, app), ch));
                Set<Channel> unopened = EnumSet.noneOf(Channel.class);
                unopened.addAll(file.credentialed(app));
                unopened.removeAll(own.keySet());
                if (!unopened.isEmpty()) {
                    throw file.error(app, "sets credentials of " + unopened + " without the key that turns the"
                            + " channel on (such as " + ApnsConfig.KEY_FILE + " or " + HuaweiConfig.APP_ID + ")");
                }
            }));
        } catch (RuntimeException e) {
            out.values().forEach(PushChannel::close);
            throw e;
        }
        return new Channels(out, apps.map(AppsFile::apps).orElse(Set.of()));
    }

    /** One set of credentials' channels, a vendor's only where its credentials are set. */
    private static Map<Channel, PushChannel> open(Env env, Clock clock, ReceiptSettings receipts) {
        Map<Channel, PushChannel> channels = new EnumMap<>(Channel.class);
        try {
            ApnsConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.APNS, ApnsChannel.create(c, clock)));
            FcmConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.FCM, FcmChannel.create(c, clock)));
            XiaomiConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.XIAOMI, XiaomiChannel.create(c, clock, receipts)));
            HuaweiConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.HUAWEI, HuaweiChannel.create(c, clock)));
            HonorConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.HONOR, HonorChannel.create(c, clock)));
            VivoConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.VIVO, VivoChannel.create(c, clock, receipts)));
            OppoConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.OPPO, OppoChannel.create(c, clock, receipts)));
            MeizuConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.MEIZU, MeizuChannel.create(c, clock)));
            WebPushConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.WEBPUSH, WebPushChannel.create(c, clock)));
            HarmonyConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.HARMONY, HarmonyChannel.create(c, clock)));
        } catch (RuntimeException e) {
            channels.values().forEach(PushChannel::close);
            throw e;
        }
        return channels;
    }

    /** Every channel, by the credentials it sends with. */
    public Map<VendorApp, PushChannel> all() {
        return channels;
    }

    /** The vendors with a channel, for any app. */
    public Set<Channel> vendors() {
        Set<Channel> out = EnumSet.noneOf(Channel.class);
        channels.keySet().forEach(k -> out.add(k.channel()));
        return out;
    }

    /** The credentials a device's pushes go with: its app's when the apps file lists the app, else the shared ones. */
    public VendorApp route(PushTarget target) {
        return apps.contains(target.appId()) ? VendorApp.of(target.channel(), target.appId())
                : VendorApp.shared(target.channel());
    }

    /** Empty when {@link #route} has a channel; else why not, for the device's dead letter. */
    public Optional<String> missing(PushTarget target) {
        VendorApp route = route(target);
        if (channels.containsKey(route)) {
            return Optional.empty();
        }
        String vendor = target.channel().wireName();
        return Optional.of(route.app().isPresent()
                ? "app " + target.appId() + " has no " + vendor + " credentials in " + AppsFile.KEY
                : "no " + vendor + " channel is configured" + (apps.isEmpty() ? ""
                        : " for app " + target.appId() + " (not in " + AppsFile.KEY + ", and no shared " + vendor
                        + " credentials)"));
    }

    /** These channels with {@code wrap} applied to each (e.g. to book receipts), routed the same way. */
    public Channels wrapped(BiFunction<VendorApp, PushChannel, PushChannel> wrap) {
        Map<VendorApp, PushChannel> m = new LinkedHashMap<>();
        channels.forEach((k, ch) -> m.put(k, wrap.apply(k, ch)));
        return new Channels(m, apps);
    }

    /** Closes every channel. */
    public void close() {
        channels.values().forEach(PushChannel::close);
    }
}
