package dev.impush.model.job;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.model.Violations;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.ImEvent;
import java.util.List;

/** One device a job goes to, with its channel and token as resolved when the job was made. */
public record PushTarget(String deviceId, Channel channel, String token, String appId, boolean sandbox) {

    List<String> violations(int index) {
        String p = "targets[" + index + "].";
        return new Violations().required(p + "deviceId", deviceId)
                .maxLength(p + "deviceId", deviceId, ImEvent.MAX_ID_LENGTH).required(p + "channel", channel)
                .required(p + "token", token).maxLength(p + "token", token, DeviceEvent.MAX_TOKEN_LENGTH)
                .required(p + "appId", appId).maxLength(p + "appId", appId, ImEvent.MAX_ID_LENGTH).messages();
    }

    @Override
    public String toString() {
        return "PushTarget[" + deviceId + ", " + channel + ", " + Tokens.mask(token) + ", " + appId
                + (sandbox ? ", sandbox" : "") + "]";
    }
}
