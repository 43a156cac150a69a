package dev.impush.detector.state;

import dev.impush.runtime.ConfigException;

/**
 * How much the detector keeps per user. Each store value of a user is one Kafka record in its
 * changelog, so it must stay far below the broker's record limit (1 MB by default) whatever the
 * input: a user past a limit loses the oldest entry, never the whole partition. With the
 * contract's length limits the worst cases are ~450 KB of devices, ~115 KB of connections, ~400 KB
 * of mutes and {@link #maxPendingBytes} of pending acks.
 *
 * @param maxDevices      registered devices ({@code IMPUSH_DETECTOR_MAX_DEVICES_PER_USER}, default 32);
 *                        a registration past it replaces the device registered longest ago.
 *                        Recorded connections are kept for twice as many devices.
 * @param maxMutes        muted scopes ({@code IMPUSH_DETECTOR_MAX_MUTES_PER_USER}, default 500); a mute
 *                        past it replaces the oldest one (expired mutes go first anyway)
 * @param maxPendingBytes estimated size of the messages awaiting acks
 *                        ({@code IMPUSH_DETECTOR_MAX_PENDING_BYTES_PER_USER}, default 262144); past it the
 *                        oldest pending message is forgotten (its devices get no zombie push for it)
 */
public record UserLimits(int maxDevices, int maxMutes, int maxPendingBytes) {
    public static final UserLimits DEFAULTS = new UserLimits(32, 500, 256 * 1024);
    /** Each limit's upper bound: past these a single value could outgrow a Kafka record. */
    public static final int DEVICES_CEILING = 64;
    public static final int MUTES_CEILING = 1000;
    public static final int PENDING_BYTES_CEILING = 512 * 1024;

    public UserLimits {
        check("IMPUSH_DETECTOR_MAX_DEVICES_PER_USER", maxDevices, DEVICES_CEILING);
        check("IMPUSH_DETECTOR_MAX_MUTES_PER_USER", maxMutes, MUTES_CEILING);
        check("IMPUSH_DETECTOR_MAX_PENDING_BYTES_PER_USER", maxPendingBytes, PENDING_BYTES_CEILING);
    }

    public int maxConnections() {
        return 2 * maxDevices;
    }

    private static void check(String key, int value, int ceiling) {
        if (value < 1 || value > ceiling) {
            throw new ConfigException(key + "=" + value + " must lie between 1 and " + ceiling);
        }
    }
}
