package dev.impush.detector;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The detector's counters. Names are constants; tags stay low-cardinality (event type, trigger,
 * reason), never a user, device or token. Thread-safe. Counters are looked up once and kept: a
 * registry lookup (building and hashing a meter id) for every event cost more than the count.
 */
public final class DetectorMetrics {
    /** Events read, tag {@code type}: message, routed, acked, presence, device, mute, invalid-token. */
    public static final String EVENTS = "impush.detector.events";
    /**
     * Push jobs published, tag {@code trigger}: message | ack-timeout (a zombie push: an online
     * device's ack did not come within the ack timeout).
     */
    public static final String JOBS = "impush.detector.jobs";
    /** Messages that made no job, tag {@code reason}: expired, muted, all-online, no-devices. */
    public static final String DROPPED = "impush.detector.dropped";
    /** Records sent to the dead-letter topic, tags {@code reason} (dead-letter reason) and {@code topic}. */
    public static final String DEAD_LETTERS = "impush.detector.dead.letters";
    /** Devices removed, tag {@code reason}: unregister | invalid-token. */
    public static final String TOKENS_REMOVED = "impush.detector.tokens.removed";
    /** Invalid-token feedback ignored because the device holds a newer token (or is gone). */
    public static final String FEEDBACK_IGNORED = "impush.detector.feedback.ignored";
    /**
     * Events not on the partition Kafka's default partitioner gives their user id, tag {@code action}:
     * reroute | dead-letter (see {@link MisplacedEvents}).
     */
    public static final String MISPLACED = "impush.detector.events.misplaced";
    /** Gateway records that could not be read and were skipped, tag {@code reason}. */
    public static final String GATEWAYS_INVALID = "impush.detector.gateways.invalid";

    /**
     * Entries a user's state forgot to stay within its limit, tag {@code limit}: devices,
     * connections, mutes, pending (see {@code UserLimits}), early (acks read before their message).
     */
    public static final String CAPPED = "impush.detector.capped";

    /**
     * What ack tracking did, tag {@code outcome}: {@code acked} (an ack ended a wait in time),
     * {@code early} (an ack or routed read before its message, remembered), {@code early-used} (its
     * message came), {@code early-expired} (it did not), {@code never-routed} (with ack tracking
     * {@code routed}: an online device's message was never routed to it, so no deadline ran). Zombie
     * pushes are {@link #JOBS} with trigger {@code ack-timeout}.
     */
    public static final String ACKS = "impush.detector.acks";
    public static final String ACK_IN_TIME = "acked";
    public static final String ACK_EARLY = "early";
    public static final String ACK_EARLY_USED = "early-used";
    public static final String ACK_EARLY_EXPIRED = "early-expired";
    public static final String ACK_NEVER_ROUTED = "never-routed";

    /**
     * Broadcast commands applied on a partition (each partition counts its own copy), tag {@code event}:
     * started | duplicate (an id seen before, ignored) | cancelled | completed | expired.
     */
    /** Coalescing: messages held ({@code outcome=held}) and updates sent ({@code outcome=updated}). */
    public static final String COALESCED = "impush.detector.coalesced";
    /** Pushes in a user's quiet hours, by {@code outcome}. */
    public static final String QUIET_HOURS = "impush.detector.quiet.hours";
    public static final String BROADCASTS = "impush.detector.broadcasts";
    /** Devices a broadcast's jobs were emitted for. */
    public static final String BROADCAST_DEVICES = "impush.detector.broadcast.devices";
    /** Devices of a broadcast's app passed over: muted users, online devices of an {@code offlineOnly} broadcast. */
    public static final String BROADCAST_SKIPPED = "impush.detector.broadcast.skipped";

    public static final String TRIGGER_MESSAGE = "message";
    public static final String TRIGGER_ACK_TIMEOUT = "ack-timeout";
    /** A read-elsewhere clear. */
    public static final String TRIGGER_READ = "read";
    /** A call invite or cancel. */
    public static final String TRIGGER_CALL = "call";
    /** The update of a coalescing window. */
    public static final String TRIGGER_COALESCED = "coalesced";
    /** A recall. */
    public static final String TRIGGER_RECALL = "recall";

    private final MeterRegistry registry;
    /** name → tag value → counter. */
    private final Map<String, Map<String, Counter>> counters = new ConcurrentHashMap<>();

    public DetectorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void event(String type) {
        counter(EVENTS, "type", type).increment();
    }

    public void job(String trigger) {
        counter(JOBS, "trigger", trigger).increment();
    }

    public void dropped(String reason) {
        counter(DROPPED, "reason", reason).increment();
    }

    public void deadLetter(String reason, String topic) {
        registry.counter(DEAD_LETTERS, "reason", reason, "topic", topic).increment();
    }

    public void ack(String outcome) {
        counter(ACKS, "outcome", outcome).increment();
    }

    /** A push in the user's quiet hours: {@code silenced}, {@code dropped}, or let through for a {@code mention}. */
    public void quietHours(String outcome) {
        counter(QUIET_HOURS, "outcome", outcome).increment();
    }

    /** A message held for its conversation's update ({@code held}), or an update sent ({@code updated}). */
    public void coalesced(String outcome) {
        counter(COALESCED, "outcome", outcome).increment();
    }

    public void capped(String limit) {
        counter(CAPPED, "limit", limit).increment();
    }

    public void tokenRemoved(String reason) {
        counter(TOKENS_REMOVED, "reason", reason).increment();
    }

    public void feedbackIgnored() {
        registry.counter(FEEDBACK_IGNORED).increment();
    }

    public void misplaced(MisplacedEvents action) {
        counter(MISPLACED, "action", action.wireName()).increment();
    }

    public void broadcast(String event) {
        counter(BROADCASTS, "event", event).increment();
    }

    public void broadcastDevices(long emitted, long skipped) {
        registry.counter(BROADCAST_DEVICES).increment(emitted);
        registry.counter(BROADCAST_SKIPPED).increment(skipped);
    }

    public void gatewayInvalid(String reason) {
        counter(GATEWAYS_INVALID, "reason", reason).increment();
    }

    private Counter counter(String name, String tag, String value) {
        Map<String, Counter> byValue = counters.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
        Counter c = byValue.get(value);
        return c != null ? c : byValue.computeIfAbsent(value, v -> registry.counter(name, tag, v));
    }
}
