package dev.impush.worker.dispatch;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * A circuit breaker's state, failure rate and counts, read when scraped, under Resilience4j's
 * metric names ({@code resilience4j_circuitbreaker_state{name,state}} and friends). Unlike
 * Resilience4j's tagged binder it subscribes to no events: that would build an event and time it
 * for every send, and {@code impush_worker_send_latency_seconds} already times every send.
 */
final class BreakerMetrics {
    private BreakerMetrics() {}

    static void bind(CircuitBreaker breaker, MeterRegistry meters) {
        String name = breaker.getName();
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder("resilience4j.circuitbreaker.state", breaker, b -> b.getState() == state ? 1 : 0)
                    .description("1 for the breaker's current state, else 0")
                    .tags("name", name, "state", state.name().toLowerCase(Locale.ROOT))
                    .register(meters);
        }
        Gauge.builder("resilience4j.circuitbreaker.failure.rate", breaker, b -> b.getMetrics().getFailureRate())
                .description("failure rate in the sliding window, percent (-1 until the window is filled)")
                .tag("name", name)
                .register(meters);
        bufferedCalls(breaker, meters, "successful", CircuitBreaker.Metrics::getNumberOfSuccessfulCalls);
        bufferedCalls(breaker, meters, "failed", CircuitBreaker.Metrics::getNumberOfFailedCalls);
        FunctionCounter.builder("resilience4j.circuitbreaker.not.permitted.calls", breaker,
                        b -> b.getMetrics().getNumberOfNotPermittedCalls())
                .description("calls refused by an open breaker")
                .tags("name", name, "kind", "not_permitted")
                .register(meters);
    }

    private static void bufferedCalls(CircuitBreaker breaker, MeterRegistry meters, String kind,
                                      ToIntFunction<CircuitBreaker.Metrics> count) {
        Gauge.builder("resilience4j.circuitbreaker.buffered.calls", breaker, b -> count.applyAsInt(b.getMetrics()))
                .description("calls in the sliding window")
                .tags("name", breaker.getName(), "kind", kind)
                .register(meters);
    }
}
