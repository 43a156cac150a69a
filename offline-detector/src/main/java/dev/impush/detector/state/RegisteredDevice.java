package dev.impush.detector.state;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.job.PushTarget;
import java.time.Instant;

/**
 * A device registered for push, as the detector remembers it (internal state, not the public contract).
 * A {@link #voip()} device holds an iOS PushKit token: it gets calls only.
 */
public record RegisteredDevice(
        String deviceId,
        Channel channel,
        String token,
        String appId,
        boolean sandbox,
        String locale,
        boolean previewEnabled,
        Instant registeredAt,
        boolean voip) {

    /** An alert-token device. */
    public RegisteredDevice(String deviceId, Channel channel, String token, String appId, boolean sandbox, String locale,
                            boolean previewEnabled, Instant registeredAt) {
        this(deviceId, channel, token, appId, sandbox, locale, previewEnabled, registeredAt, false);
    }

    public static RegisteredDevice from(DeviceEvent e) {
        return new RegisteredDevice(e.deviceId(), e.channel(), e.token(), e.appId(), e.sandbox(), e.locale(),
                e.previewEnabledOrDefault(), e.registeredAt(), e.voip());
    }

    public PushTarget toTarget() {
        return new PushTarget(deviceId, channel, token, appId, sandbox, registeredAt, voip);
    }

    @Override
    public String toString() {
        return "RegisteredDevice[" + deviceId + ", " + channel + ", " + Tokens.mask(token) + ", " + appId
                + ", registeredAt=" + registeredAt + (voip ? ", voip" : "") + "]";
    }
}
