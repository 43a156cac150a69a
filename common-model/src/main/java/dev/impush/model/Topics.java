package dev.impush.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Default topic names. Every one is configurable; these are what a fresh install uses. */
public final class Topics {
    /** IM platform events, key = the user the event is about. */
    public static final String EVENTS = "im.events";
    /** Gateway heartbeats with a lease, compacted, key = gateway id. */
    public static final String GATEWAYS = "im.gateways";
    /** Broadcast commands ({@code broadcast}, {@code broadcast-cancel}), key = broadcast id. */
    public static final String BROADCASTS = "im.broadcasts";
    /** Push jobs, key = recipient user id. */
    public static final String JOBS = "push.jobs";
    /** Bulk push jobs (broadcasts, campaigns), key = recipient user id: the {@link Lane#BULK} lane. */
    public static final String JOBS_BULK = "push.jobs.bulk";
    /** What the worker learned that the detector must know, key = user id (co-partitioned with events). */
    public static final String FEEDBACK = "push.feedback";
    /** Vendors' delivery and click receipts ({@code Receipt}), key = user id. */
    public static final String RECEIPTS = "push.receipts";
    /** Prefix of the durable retry tiers: {@code push.retry.5s}, {@code push.retry.30s}, ... */
    public static final String RETRY_PREFIX = "push.retry.";
    /** The default retry tiers ({@code IMPUSH_RETRY_TIERS}): comma-separated delays. */
    public static final String DEFAULT_RETRY_TIERS = "5s,30s,2m,10m,1h";
    /** The default retry tiers' topics. */
    public static final List<String> DEFAULT_RETRY_TOPICS = retryTierTopics(RETRY_PREFIX, DEFAULT_RETRY_TIERS);
    /** The bulk lane's default retry tiers' topics: {@code push.retry.bulk.5s}, ... */
    public static final List<String> DEFAULT_BULK_RETRY_TOPICS =
            retryTierTopics(RETRY_PREFIX + Lane.BULK.infix(), DEFAULT_RETRY_TIERS);
    /**
     * Prefix of the parking topics, one per channel ({@code push.park.apns}, ...): deliveries that must
     * wait longer than their retry tier (a spent daily quota, a long {@code Retry-After}) wait there,
     * behind their own channel only.
     */
    public static final String PARK_PREFIX = "push.park.";
    /** Every channel's parking topic under the default prefix. */
    public static final List<String> DEFAULT_PARK_TOPICS = Arrays.stream(Channel.values())
            .map(c -> PARK_PREFIX + c.wireName()).toList();
    /** The bulk lane's parking topics: {@code push.park.bulk.apns}, ... */
    public static final List<String> DEFAULT_BULK_PARK_TOPICS = Arrays.stream(Channel.values())
            .map(c -> PARK_PREFIX + Lane.BULK.infix() + c.wireName()).toList();
    /** Records that cannot be processed or delivered, with the reason and the raw bytes. */
    public static final String DLQ = "push.dlq";

    private Topics() {}

    /** The topic of the retry tier {@code delay} (one entry of {@code IMPUSH_RETRY_TIERS}, e.g. {@code 30s}). */
    public static String retryTierTopic(String prefix, String delay) {
        return prefix + delay.trim().toLowerCase(Locale.ROOT);
    }

    /** The topics of the retry tiers {@code spec} (comma-separated delays), in order. */
    public static List<String> retryTierTopics(String prefix, String spec) {
        return spec.isBlank() ? List.of()
                : Arrays.stream(spec.split(",")).map(d -> retryTierTopic(prefix, d)).toList();
    }
}
