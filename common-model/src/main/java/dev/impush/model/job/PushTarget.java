package dev.impush.model.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.model.Violations;
import dev.impush.model.WebPushSubscription;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.ImEvent;
import java.util.List;

/**
 * One device a job goes to, with its channel and token as resolved when the job was made.
 *
 * @param registeredAt when the device registered this token (optional): a token a vendor declared
 *                     invalid is sent to again only when registered after that (the worker's token shield)
 * @param voip         an APNs PushKit token: pushed as VoIP on {@code <appId>.voip}, for calls only
 */
public record PushTarget(String deviceId, Channel channel, String token, String appId, boolean sandbox,
                         java.time.Instant registeredAt,
                         @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean voip) { // written only when true

    /** A target whose registration time is not known. */
    public PushTarget(String deviceId, Channel channel, String token, String appId, boolean sandbox) {
        this(deviceId, channel, token, appId, sandbox, null, false);
    }

    /** An alert-token target. */
    public PushTarget(String deviceId, Channel channel, String token, String appId, boolean sandbox,
                      java.time.Instant registeredAt) {
        this(deviceId, channel, token, appId, sandbox, registeredAt, false);
    }

    List<String> violations(int index) {
        String p = "targets[" + index + "].";
        return new Violations().required(p + "deviceId", deviceId)
                .maxLength(p + "deviceId", deviceId, ImEvent.MAX_ID_LENGTH).required(p + "channel", channel)
                .required(p + "token", token).maxLength(p + "token", token, DeviceEvent.MAX_TOKEN_LENGTH)
                .required(p + "appId", appId).maxLength(p + "appId", appId, ImEvent.MAX_ID_LENGTH)
                .time(p + "registeredAt", registeredAt)
                .check(channel != Channel.WEBPUSH || token == null || WebPushSubscription.problem(token).isEmpty(),
                        p + "token must be a webpush subscription's JSON").messages();
    }

    @Override
    public String toString() {
        return "PushTarget[" + deviceId + ", " + channel + ", " + Tokens.mask(token) + ", " + appId
                + (sandbox ? ", sandbox" : "") + (voip ? ", voip" : "") + "]";
    }
}
