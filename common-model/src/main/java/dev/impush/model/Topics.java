package dev.impush.model;

/** Default topic names. Every one is configurable; these are what a fresh install uses. */
public final class Topics {
    /** IM platform events, key = the user the event is about. */
    public static final String EVENTS = "im.events";
    /** Gateway heartbeats with a lease, compacted, key = gateway id. */
    public static final String GATEWAYS = "im.gateways";
    /** Push jobs, key = recipient user id. */
    public static final String JOBS = "push.jobs";
    /** What the worker learned that the detector must know, key = user id (co-partitioned with events). */
    public static final String FEEDBACK = "push.feedback";
    /** Prefix of the durable retry tiers: {@code push.retry.5s}, {@code push.retry.30s}, ... */
    public static final String RETRY_PREFIX = "push.retry.";
    /** The default retry tiers' topics. */
    public static final java.util.List<String> DEFAULT_RETRY_TOPICS =
            java.util.List.of(RETRY_PREFIX + "5s", RETRY_PREFIX + "30s", RETRY_PREFIX + "2m", RETRY_PREFIX + "10m",
                    RETRY_PREFIX + "1h");
    /**
     * Prefix of the parking topics, one per channel ({@code push.park.apns}, ...): deliveries that must
     * wait longer than their retry tier (a spent daily quota, a long {@code Retry-After}) wait there,
     * behind their own channel only.
     */
    public static final String PARK_PREFIX = "push.park.";
    /** Every channel's parking topic under the default prefix. */
    public static final java.util.List<String> DEFAULT_PARK_TOPICS = java.util.Arrays.stream(Channel.values())
            .map(c -> PARK_PREFIX + c.wireName()).toList();
    /** Records that cannot be processed or delivered, with the reason and the raw bytes. */
    public static final String DLQ = "push.dlq";

    private Topics() {}
}
