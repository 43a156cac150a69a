package dev.impush.worker.channel;

import dev.impush.model.Channel;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.apns.ApnsChannel;
import dev.impush.worker.channel.apns.ApnsConfig;
import dev.impush.worker.channel.fcm.FcmChannel;
import dev.impush.worker.channel.fcm.FcmConfig;
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
import dev.impush.worker.channel.xiaomi.XiaomiChannel;
import dev.impush.worker.channel.xiaomi.XiaomiConfig;
import dev.impush.worker.receipt.ReceiptSettings;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * Builds the channels whose credentials are configured. A vendor without configuration has no
 * channel; its deliveries are dead-lettered as {@code channel-not-configured}.
 */
public final class Channels {
    private Channels() {}

    public static Map<Channel, PushChannel> fromEnv(Env env, Clock clock) {
        Map<Channel, PushChannel> channels = new EnumMap<>(Channel.class);
        try {
            ApnsConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.APNS, ApnsChannel.create(c, clock)));
            FcmConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.FCM, FcmChannel.create(c, clock)));
            ReceiptSettings receipts = ReceiptSettings.fromEnv(env).orElse(null);
            XiaomiConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.XIAOMI, XiaomiChannel.create(c, clock, receipts)));
            HuaweiConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.HUAWEI, HuaweiChannel.create(c, clock)));
            HonorConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.HONOR, HonorChannel.create(c, clock)));
            VivoConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.VIVO, VivoChannel.create(c, clock, receipts)));
            OppoConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.OPPO, OppoChannel.create(c, clock, receipts)));
            MeizuConfig.fromEnv(env).ifPresent(c -> channels.put(Channel.MEIZU, MeizuChannel.create(c, clock)));
        } catch (RuntimeException e) {
            channels.values().forEach(PushChannel::close);
            throw e;
        }
        return channels;
    }
}
