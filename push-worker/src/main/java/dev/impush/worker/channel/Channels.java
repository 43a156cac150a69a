package dev.impush.worker.channel;

import dev.impush.model.Channel;
import dev.impush.runtime.Env;
import dev.impush.worker.channel.apns.ApnsChannel;
import dev.impush.worker.channel.apns.ApnsConfig;
import dev.impush.worker.channel.fcm.FcmChannel;
import dev.impush.worker.channel.fcm.FcmConfig;
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
        } catch (RuntimeException e) {
            channels.values().forEach(PushChannel::close);
            throw e;
        }
        return channels;
    }
}
