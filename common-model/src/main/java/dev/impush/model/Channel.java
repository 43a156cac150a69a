package dev.impush.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A vendor push channel. The JSON form is the lower-case name ({@code "apns"}, {@code "fcm"}, ...).
 * {@link #WEBPUSH}: browsers' push services (RFC 8030), for web and desktop clients; a device's token
 * is its {@link WebPushSubscription}. {@link #HARMONY}: Push Kit for HarmonyOS NEXT (HarmonyOS 5 and later,
 * which has no Android layer: {@link #HUAWEI}'s HMS Push Kit does not reach it).
 */
public enum Channel {
    APNS, FCM, XIAOMI, HUAWEI, HONOR, VIVO, OPPO, MEIZU, WEBPUSH, HARMONY;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static Channel fromWire(String value) {
        for (Channel c : values()) {
            if (c.wireName.equals(value)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown channel '" + value + "'");
    }
}
