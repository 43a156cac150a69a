package dev.impush.detector.state;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.job.PushTarget;
import java.time.Instant;

/** A device registered for push, as the detector remembers it (internal state, not the public contract). */
public record RegisteredDevice(
        String deviceId,
        Channel channel,
        String token,
        String appId,
        boolean sandbox,
        String locale,
        boolean previewEnabled,
        Instant registeredAt) {

    public static RegisteredDevice from(DeviceEvent e) {
        return new RegisteredDevice(e.deviceId(), e.channel(), e.token(), e.appId(), e.sandbox(), e.locale(),
                e.previewEnabledOrDefault(), e.registeredAt());
    }

    public PushTarget toTarget() {
        return new PushTarget(deviceId, channel, token, appId, sandbox, registeredAt);
    }

    @Override
    public String toString() {
        return "RegisteredDevice[" + deviceId + ", " + channel + ", " + Tokens.mask(token) + ", " + appId
                + ", registeredAt=" + registeredAt + "]";
    }
}
