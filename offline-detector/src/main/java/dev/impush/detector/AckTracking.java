package dev.impush.detector;

import dev.impush.runtime.ConfigException;
import java.util.Locale;

/**
 * Which events start an ack deadline: the contract a platform chooses with
 * {@code IMPUSH_DETECTOR_ACK_TRACKING}. A deadline that passes without an {@code acked} means the
 * device's connection was a zombie, and the device is pushed.
 */
public enum AckTracking {
    /**
     * A deadline starts at {@code routed}, for a device that was online at the {@code message}. A
     * platform that sends no {@code routed} gets no zombie pushes at all, so this is safe for a platform
     * that does not send acks yet: the default.
     */
    ROUTED,
    /**
     * A deadline starts at the {@code message} for every device online at it ({@code routed} restarts
     * it): also catches a message the gateway never routed, but every online delivery must be acked.
     */
    MESSAGE,
    /** No ack tracking: {@code routed} and {@code acked} are read and ignored; online devices are never pushed. */
    OFF;

    /** The value as written in the environment. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code routed | message | off} (any case); the message names {@code key}. */
    public static AckTracking parse(String key, String value) {
        for (AckTracking t : values()) {
            if (t.wireName().equalsIgnoreCase(value.trim())) {
                return t;
            }
        }
        throw new ConfigException(key + "=" + value + " is not one of routed, message, off");
    }
}
