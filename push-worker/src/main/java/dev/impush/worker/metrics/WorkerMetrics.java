package dev.impush.worker.metrics;

import dev.impush.model.Channel;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.worker.channel.SendOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The worker's metric names (constants) and their recording. Tags are low-cardinality: channel,
 * outcome, reason; never a user, device or token. Metrics observe; they never drive logic.
 */
public final class WorkerMetrics {
    public static final String RECORDS = "impush.worker.records";
    public static final String SENDS = "impush.worker.sends";
    public static final String SEND_LATENCY = "impush.worker.send.latency";
    public static final String DUPLICATES = "impush.worker.duplicates";
    public static final String DROPPED = "impush.worker.dropped";
    public static final String DEAD_LETTERS = "impush.worker.dead.letters";
    public static final String INVALID_TOKENS = "impush.worker.invalid.tokens";
    public static final String IN_FLIGHT = "impush.worker.in.flight";
    public static final String DEDUPE_UNAVAILABLE = "impush.worker.dedupe.unavailable";
    public static final String RETRIED = "impush.worker.retried";

    private final MeterRegistry registry;

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void gaugeInFlight(Supplier<Number> inFlight) {
        io.micrometer.core.instrument.Gauge.builder(IN_FLIGHT, inFlight).description("records being processed")
                .register(registry);
    }

    public void record(String result) {
        registry.counter(RECORDS, "result", result).increment();
    }

    public void sent(Channel channel, SendOutcome outcome, Duration took) {
        registry.counter(SENDS, "channel", channel.wireName(), "outcome", outcome.label()).increment();
        Timer.builder(SEND_LATENCY).tag("channel", channel.wireName()).publishPercentileHistogram(false)
                .register(registry).record(took);
        if (outcome instanceof SendOutcome.InvalidToken) {
            registry.counter(INVALID_TOKENS, "channel", channel.wireName()).increment();
        }
    }

    public void duplicate() {
        registry.counter(DUPLICATES).increment();
    }

    public void dropped(String reason) {
        registry.counter(DROPPED, "reason", reason).increment();
    }

    public void deadLettered(DeadLetterReason reason) {
        registry.counter(DEAD_LETTERS, "reason", reason.wireName()).increment();
    }

    /** Devices of a job sent to a retry tier. */
    public void retried(String tierTopic, int devices) {
        registry.counter(RETRIED, "tier", tierTopic).increment(devices);
    }

    public void dedupeUnavailable() {
        registry.counter(DEDUPE_UNAVAILABLE).increment();
    }

}
