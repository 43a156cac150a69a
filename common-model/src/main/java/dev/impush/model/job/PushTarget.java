package dev.impush.model.job;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.model.Violations;
import java.util.List;

/** One device a job goes to, with its channel and token as resolved when the job was made. */
public record PushTarget(String deviceId, Channel channel, String token, String appId, boolean sandbox) {

    List<String> violations(int index) {
        String p = "targets[" + index + "].";
        return new Violations().required(p + "deviceId", deviceId).required(p + "channel", channel)
                .required(p + "token", token).required(p + "appId", appId).messages();
    }

    @Override
    public String toString() {
        return "PushTarget[" + deviceId + ", " + channel + ", " + Tokens.mask(token) + ", " + appId
                + (sandbox ? ", sandbox" : "") + "]";
    }
}
