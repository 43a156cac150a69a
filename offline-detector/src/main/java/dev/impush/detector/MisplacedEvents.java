package dev.impush.detector;

import dev.impush.runtime.ConfigException;
import java.util.Locale;

/**
 * What the detector does with an {@code im.events} record that is not on the partition Kafka's
 * Java default partitioner gives its key (murmur2 of the user id): the choice of
 * {@code IMPUSH_DETECTOR_MISPLACED_EVENTS}. A user's state lives with one partition's task, joined by
 * partition with {@code push.feedback} (which impush writes with that partitioner); a record elsewhere
 * would meet none of its user's devices. Producers in other languages partition differently by default
 * (librdkafka: CRC32, sarama: FNV-1a, kafka-go: round robin).
 */
public enum MisplacedEvents {
    /**
     * Sent on through an internal topic keyed by user ({@code <application id>-events-by-user-repartition}),
     * read by the task that owns the user: any producer works. Records already in place skip it, so a
     * producer with the Java default partitioner pays only the check. The default.
     */
    REROUTE,
    /** Dead-lettered with reason {@code misplaced}: for platforms that want a producer mistake to fail loudly. */
    DEAD_LETTER;

    /** The value as written in the environment. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@code reroute | dead-letter} (any case); the message names {@code key}. */
    public static MisplacedEvents parse(String key, String value) {
        for (MisplacedEvents m : values()) {
            if (m.wireName().equalsIgnoreCase(value.trim())) {
                return m;
            }
        }
        throw new ConfigException(key + "=" + value + " is not one of reroute, dead-letter");
    }
}
