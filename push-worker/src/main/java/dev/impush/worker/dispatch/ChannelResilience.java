package dev.impush.worker.dispatch;

import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.VendorApp;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The one place that knows Resilience4j: registries, instance names (the vendor app's name: {@code apns},
 * {@code apns/com.example.lite})
 * and their metrics binding. A {@link SendOutcome.Retry} is what retries in process; it and
 * {@link SendOutcome.RateLimited} count as breaker failures; every other vendor answer counts as a
 * success.
 */
public final class ChannelResilience {
    private final RetryRegistry retries;
    private final CircuitBreakerRegistry breakers;
    private final int rampStartPerSecond;

    public ChannelResilience(ResilienceSettings settings, MeterRegistry meters) {
        this.rampStartPerSecond = settings.rampStartPerSecond();
        IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(
                settings.initialBackoff().toMillis(), 2.0, 0.5, settings.maxBackoff().toMillis());
        // A vendor's Retry-After wins over our backoff when it is longer, up to the in-process cap.
        IntervalBiFunction<Object> interval = (attempt, either) -> {
            long wait = backoff.apply(attempt);
            if (either.isRight() && either.get() instanceof SendOutcome.Retry r) {
                wait = Math.max(wait, Math.min(r.after().toMillis(), settings.maxBackoff().toMillis()));
            }
            return wait;
        };
        this.retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(settings.maxAttempts())
                .intervalBiFunction(interval)
                // only vendor failures: a held send (open breaker, spent quota) waits in its parking topic
                .retryOnResult(o -> o instanceof SendOutcome.Retry)
                .failAfterMaxAttempts(false)
                .build());
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .failureRateThreshold(settings.breakerFailureRate())
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(settings.breakerWindow())
                .waitDurationInOpenState(settings.breakerOpenFor())
                .permittedNumberOfCallsInHalfOpenState(5)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(meters);
        breakers.getEventPublisher().onEntryAdded(added -> BreakerMetrics.bind(added.getAddedEntry(), meters));
    }

    Retry retry(VendorApp key) {
        return retries.retry(key.name());
    }

    CircuitBreaker breaker(VendorApp key) {
        return breakers.circuitBreaker(key.name());
    }

    /** A fresh recovery ramp for one channel (see {@link RecoveryRamp}). */
    RecoveryRamp ramp() {
        return new RecoveryRamp(rampStartPerSecond);
    }
}
