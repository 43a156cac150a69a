package dev.impush.model.feedback;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * The vendor declared {@link #token()} invalid at {@link #invalidatedAt()} (the vendor's own
 * timestamp when it gives one). The detector removes the device only if it still holds this token
 * and registered it before that time: a token refreshed since must survive.
 */
public record InvalidTokenFeedback(int v, String userId, String deviceId, Channel channel, String token,
                                   Instant invalidatedAt, String reason) implements Feedback {

    public static InvalidTokenFeedback of(String userId, String deviceId, Channel channel, String token,
                                          Instant invalidatedAt, String reason) {
        return new InvalidTokenFeedback(VERSION, userId, deviceId, channel, token, invalidatedAt, reason);
    }

    @Override
    public List<String> violations() {
        return new Violations().required("userId", userId).required("deviceId", deviceId)
                .required("token", token).required("invalidatedAt", invalidatedAt).messages();
    }

    @Override
    public String toString() {
        return "InvalidTokenFeedback[" + userId + "/" + deviceId + ", " + channel + ", " + Tokens.mask(token)
                + ", " + invalidatedAt + ", " + reason + "]";
    }
}
