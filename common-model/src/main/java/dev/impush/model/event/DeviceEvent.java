package dev.impush.model.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.impush.model.Channel;
import dev.impush.model.Violations;
import dev.impush.model.WebPushSubscription;
import java.time.Instant;
import java.util.List;

/**
 * A device registered (with its vendor token) or unregistered for push. {@link #voip()}: the token is an
 * iOS PushKit (VoIP) token, used for calls only; register it under a device id of its own.
 */
public record DeviceEvent(
        int v,
        Action action,
        String userId,
        String deviceId,
        Channel channel,
        String token,
        String appId,
        boolean sandbox,
        String locale,
        Boolean previewEnabled,
        Instant registeredAt,
        boolean voip) implements ImEvent {

    /** Longest vendor token accepted (APNs: 64 hex; FCM about 160; vendors under 200). */
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Longest BCP 47 locale tag kept (the RFC's practical limit). */
    public static final int MAX_LOCALE_LENGTH = 35;

    /** A registration of an alert token (not VoIP). */
    public DeviceEvent(int v, Action action, String userId, String deviceId, Channel channel, String token, String appId,
                       boolean sandbox, String locale, Boolean previewEnabled, Instant registeredAt) {
        this(v, action, userId, deviceId, channel, token, appId, sandbox, locale, previewEnabled, registeredAt, false);
    }

    public enum Action {
        @JsonProperty("register") REGISTER,
        @JsonProperty("unregister") UNREGISTER
    }

    @Override
    public List<String> violations() {
        Violations v = new Violations().required("action", action).required("userId", userId)
                .maxLength("userId", userId, MAX_ID_LENGTH)
                .required("deviceId", deviceId).maxLength("deviceId", deviceId, MAX_ID_LENGTH)
                .time("registeredAt", registeredAt);
        if (action == Action.REGISTER) {
            v.required("channel", channel).required("token", token).required("appId", appId)
                    .required("registeredAt", registeredAt)
                    .maxLength("token", token, MAX_TOKEN_LENGTH).maxLength("appId", appId, MAX_ID_LENGTH)
                    .maxLength("locale", locale, MAX_LOCALE_LENGTH)
                    .check(!voip || channel == null || channel == Channel.APNS,
                            "voip is for APNs PushKit tokens only (channel apns)");
            if (channel == Channel.WEBPUSH && token != null) {
                WebPushSubscription.problem(token).ifPresent(problem -> v.check(false, "token: " + problem));
            }
        }
        return v.messages();
    }

    /** Message previews are shown unless the user turned them off. */
    public boolean previewEnabledOrDefault() {
        return previewEnabled == null || previewEnabled;
    }
}
