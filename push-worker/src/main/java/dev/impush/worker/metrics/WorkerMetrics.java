package dev.impush.worker.metrics;

import dev.impush.model.Channel;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.worker.channel.SendOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The worker's metric names (constants) and their recording. Tags are low-cardinality: channel,
 * outcome, reason; never a user, device or token. Meters on the per-send path are looked up once
 * and kept: a registry lookup per send costs more than the send's own bookkeeping. Metrics observe;
 * they never drive logic. Thread-safe.
 */
public final class WorkerMetrics {
    public static final String RECORDS = "impush.worker.records";
    public static final String SENDS = "impush.worker.sends";
    public static final String SEND_LATENCY = "impush.worker.send.latency";
    /**
     * From the event that made a job (its {@code eventAt}: the message's {@code sentAt}) to the vendor
     * accepting a delivery, tag {@code channel}, with buckets for SLOs. A zombie push includes the ack timeout.
     */
    public static final String E2E_LATENCY = "impush.push.e2e.latency";
    /**
     * Age (seconds) of the oldest record of a topic this replica has taken and not finished (its commit
     * position), tag {@code topic}; for a retry tier or parking topic counted from when it was due.
     */
    public static final String UNFINISHED_AGE = "impush.worker.unfinished.oldest.age";
    public static final String DUPLICATES = "impush.worker.duplicates";
    public static final String DROPPED = "impush.worker.dropped";
    public static final String DEAD_LETTERS = "impush.worker.dead.letters";
    public static final String INVALID_TOKENS = "impush.worker.invalid.tokens";
    public static final String IN_FLIGHT = "impush.worker.in.flight";
    public static final String DEDUPE_UNAVAILABLE = "impush.worker.dedupe.unavailable";
    public static final String RETRIED = "impush.worker.retried";
    /** Devices parked in their channel's parking topic, tags {@code channel} and {@code waits_for}: breaker | quota | vendor. */
    public static final String PARKED = "impush.worker.parked";
    /** Age (seconds) of the oldest record a parking topic partition of this replica waits at. */
    public static final String PARKED_AGE = "impush.worker.parked.oldest.age";
    /** Claims of sends in flight found no longer held at renewal (Redis was away longer than a lease). */
    public static final String CLAIMS_LOST = "impush.worker.claims.lost";
    /** Deliveries handed to the channels and not finished. */
    public static final String DELIVERIES_IN_FLIGHT = "impush.worker.deliveries.in.flight";
    /** Publications (tag {@code what}: retry | dead-letter | feedback) that failed and are tried again. */
    public static final String PUBLICATIONS_RETRIED = "impush.worker.publications.retried";
    /** Publications the broker refused with nothing smaller to stand in: the record finished without it. */
    public static final String PUBLICATIONS_LOST = "impush.worker.publications.lost";

    private final MeterRegistry registry;
    private final Map<Channel, Map<String, Counter>> sends = new EnumMap<>(Channel.class);
    private final Map<Channel, Timer> latency = new EnumMap<>(Channel.class);
    private final Map<Channel, Timer> e2e = new EnumMap<>(Channel.class);
    private final Map<Channel, Counter> invalidTokens = new EnumMap<>(Channel.class);
    private final Map<String, Counter> records = new ConcurrentHashMap<>();
    private final Counter duplicates;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Channel c : Channel.values()) {
            Map<String, Counter> byOutcome = new ConcurrentHashMap<>();
            sends.put(c, byOutcome);
            latency.put(c, Timer.builder(SEND_LATENCY).tag("channel", c.wireName())
                    .description("from the request to the vendor's answer").serviceLevelObjectives(SEND_BUCKETS)
                    .register(registry));
            e2e.put(c, Timer.builder(E2E_LATENCY).tag("channel", c.wireName())
                    .description("from the event that made the job to the vendor accepting the delivery")
                    .serviceLevelObjectives(E2E_BUCKETS).register(registry));
            invalidTokens.put(c, registry.counter(INVALID_TOKENS, "channel", c.wireName()));
        }
        this.duplicates = registry.counter(DUPLICATES);
        // at 0 from the start, so an alert on their rate has a series before the first event
        registry.counter(DEDUPE_UNAVAILABLE);
        registry.counter(CLAIMS_LOST);
    }

    /** The vendor latency buckets: enough for p50/p99 panels, twelve series per channel. */
    private static final Duration[] SEND_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};

    /** The end-to-end latency buckets: what an SLO on offline pushes is written against. */
    private static final Duration[] E2E_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(15)};

    public void gaugeInFlight(Supplier<Number> inFlight) {
        Gauge.builder(IN_FLIGHT, inFlight).description("records being processed").register(registry);
    }

    /** The {@link #UNFINISHED_AGE} gauge of {@code topic}. */
    public void gaugeUnfinishedAge(String topic, Supplier<Number> seconds) {
        Gauge.builder(UNFINISHED_AGE, seconds).tag("topic", topic).baseUnit("seconds")
                .description("age of the oldest record taken and not finished").register(registry);
    }

    /** A delivery the vendor accepted {@code sinceEvent} after the event that made its job. */
    public void delivered(Channel channel, Duration sinceEvent) {
        e2e.get(channel).record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
    }

    public void record(String result) {
        records.computeIfAbsent(result, r -> registry.counter(RECORDS, "result", r)).increment();
    }

    public void sent(Channel channel, SendOutcome outcome, Duration took) {
        sends.get(channel).computeIfAbsent(outcome.label(),
                o -> registry.counter(SENDS, "channel", channel.wireName(), "outcome", o)).increment();
        latency.get(channel).record(took);
        if (outcome instanceof SendOutcome.InvalidToken) {
            invalidTokens.get(channel).increment();
        }
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void dropped(String reason) {
        registry.counter(DROPPED, "reason", reason).increment();
    }

    public void deadLettered(DeadLetterReason reason) {
        registry.counter(DEAD_LETTERS, "reason", reason.wireName()).increment();
    }

    /**
     * The retry and parking counters at 0 from the start, for every tier topic and every channel's
     * waits: their panels and alerts have a series before the first retry.
     */
    public void expect(Collection<String> tierTopics, Collection<Channel> channels, Collection<String> waits) {
        tierTopics.forEach(t -> registry.counter(RETRIED, "tier", t));
        channels.forEach(c -> waits.forEach(w -> registry.counter(PARKED, "channel", c.wireName(), "waits_for", w)));
    }

    /** Devices of a job sent to a retry tier. */
    public void retried(String tierTopic, int devices) {
        registry.counter(RETRIED, "tier", tierTopic).increment(devices);
    }

    public void publicationRetried(String what) {
        registry.counter(PUBLICATIONS_RETRIED, "what", what).increment();
    }

    public void publicationLost(String what) {
        registry.counter(PUBLICATIONS_LOST, "what", what).increment();
    }

    public void parked(Channel channel, String waitsFor, int devices) {
        registry.counter(PARKED, "channel", channel.wireName(), "waits_for", waitsFor).increment(devices);
    }

    public void gaugeParkedAge(Supplier<Number> seconds) {
        Gauge.builder(PARKED_AGE, seconds).baseUnit("seconds")
                .description("age of the oldest parked record this replica waits at").register(registry);
    }

    public void claimLost() {
        registry.counter(CLAIMS_LOST).increment();
    }

    public void gaugeDeliveriesInFlight(Supplier<Number> deliveries) {
        Gauge.builder(DELIVERIES_IN_FLIGHT, deliveries).description("deliveries being sent").register(registry);
    }

    public void dedupeUnavailable() {
        registry.counter(DEDUPE_UNAVAILABLE).increment();
    }
}
