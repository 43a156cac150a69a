package dev.impush.model.feedback;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.model.Violations;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.ImEvent;
import java.time.Instant;
import java.util.List;

/**
 * The vendor declared {@link #token()} invalid at {@link #invalidatedAt()} (the vendor's own
 * timestamp when it gives one). The detector removes the device only if it still holds this token
 * and registered it before that time: a token refreshed since must survive.
 */
public record InvalidTokenFeedback(int v, String userId, String deviceId, Channel channel, String token,
                                   Instant invalidatedAt, String reason) implements Feedback {
    /** Longest vendor reason kept. */
    public static final int MAX_REASON_LENGTH = 1024;

    public static InvalidTokenFeedback of(String userId, String deviceId, Channel channel, String token,
                                          Instant invalidatedAt, String reason) {
        String kept = reason != null && reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) : reason;
        return new InvalidTokenFeedback(VERSION, userId, deviceId, channel, token, invalidatedAt, kept);
    }

    @Override
    public List<String> violations() {
        return new Violations().required("userId", userId).maxLength("userId", userId, ImEvent.MAX_ID_LENGTH)
                .required("deviceId", deviceId).maxLength("deviceId", deviceId, ImEvent.MAX_ID_LENGTH)
                .required("token", token).maxLength("token", token, DeviceEvent.MAX_TOKEN_LENGTH)
                .required("invalidatedAt", invalidatedAt).time("invalidatedAt", invalidatedAt)
                .maxLength("reason", reason, MAX_REASON_LENGTH).messages();
    }

    @Override
    public String toString() {
        return "InvalidTokenFeedback[" + userId + "/" + deviceId + ", " + channel + ", " + Tokens.mask(token)
                + ", " + invalidatedAt + ", " + reason + "]";
    }
}
