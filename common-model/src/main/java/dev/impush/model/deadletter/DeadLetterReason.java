package dev.impush.model.deadletter;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a record ended in {@code push.dlq}. {@link #isPoison()} tells bad input from failed delivery. */
public enum DeadLetterReason {
    /** Not JSON, truncated, invalid UTF-8 or nested too deep. */
    MALFORMED(true),
    /** A {@code type} this release does not know. */
    UNKNOWN_TYPE(true),
    /** A {@code v} this release does not read. */
    UNSUPPORTED_VERSION(true),
    /** Parsed, but breaks the contract (missing field, wrong type, out of range). */
    INVALID(true),
    /** Larger than the configured record limit. */
    OVERSIZED(true),
    /**
     * On another partition than Kafka's default partitioner gives its key: the producer partitions
     * differently (detector with {@code IMPUSH_DETECTOR_MISPLACED_EVENTS=dead-letter}).
     */
    MISPLACED(true),
    /** Valid as far as the contract checks, but processing it failed (a bug or a limit it broke). */
    PROCESSING_FAILED(true),
    /** The vendor refused it for good (configuration or payload). */
    REJECTED(false),
    /** The vendor kept throttling this app or device. */
    RATE_LIMITED(false),
    /** Still failing after every retry. */
    RETRIES_EXHAUSTED(false),
    /** No channel is configured for the target's vendor. */
    CHANNEL_NOT_CONFIGURED(false);

    private final boolean poison;

    DeadLetterReason(boolean poison) {
        this.poison = poison;
    }

    public boolean isPoison() {
        return poison;
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static DeadLetterReason fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
