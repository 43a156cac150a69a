package dev.impush.worker.dispatch;

import dev.impush.runtime.Env;
import java.time.Duration;
import java.util.Map;

/**
 * The in-process retry and circuit breaker of every channel.
 *
 * @param maxAttempts       sends per delivery, the first included (IMPUSH_RETRY_MAX_ATTEMPTS)
 * @param initialBackoff    wait before the second attempt, doubled after each, ±50 % jitter
 *                          (IMPUSH_RETRY_INITIAL_BACKOFF_MS)
 * @param maxBackoff        longest in-process wait; longer waits belong in durable retry tiers
 *                          (IMPUSH_RETRY_MAX_BACKOFF_MS)
 * @param breakerFailureRate percentage of failed calls (5xx, IO) in the window that opens the
 *                          breaker (IMPUSH_BREAKER_FAILURE_RATE)
 * @param breakerWindow     calls in the sliding window, also the minimum before it may open
 *                          (IMPUSH_BREAKER_WINDOW)
 * @param breakerOpenFor    how long an open breaker refuses calls before probing (IMPUSH_BREAKER_OPEN_MS)
 * @param rampStartPerSecond sends per second a replica allows a channel in the first second after its
 *                          breaker closed again, doubling every second (IMPUSH_BREAKER_RAMP_START_QPS;
 *                          0 = no ramp)
 */
public record ResilienceSettings(int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                                 int breakerFailureRate, int breakerWindow, Duration breakerOpenFor,
                                 int rampStartPerSecond) {

    public static ResilienceSettings defaults() {
        return fromEnv(Env.of(Map.of()));
    }

    public static ResilienceSettings fromEnv(Env env) {
        return new ResilienceSettings(
                env.integer("IMPUSH_RETRY_MAX_ATTEMPTS", 3, 1, 20),
                env.millis("IMPUSH_RETRY_INITIAL_BACKOFF_MS", 200),
                env.millis("IMPUSH_RETRY_MAX_BACKOFF_MS", 5_000),
                env.integer("IMPUSH_BREAKER_FAILURE_RATE", 50, 1, 100),
                env.integer("IMPUSH_BREAKER_WINDOW", 50, 2, 10_000),
                env.millis("IMPUSH_BREAKER_OPEN_MS", 10_000),
                env.integer("IMPUSH_BREAKER_RAMP_START_QPS", 100, 0, 1_000_000));
    }
}
