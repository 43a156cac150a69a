package dev.impush.worker.pipeline;

import dev.impush.worker.metrics.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** After a Redis failure, leaves Redis alone for a while: no call is tried, and logged, every poll. Poll thread only. */
final class RedisBackoff {
    private static final Logger LOG = LoggerFactory.getLogger(JobPipeline.class);
    private final long millis;
    private final Clock clock;
    private final WorkerMetrics metrics;
    /** Epoch ms before which Redis is not asked again. */
    private long retryAt;

    RedisBackoff(Duration backoff, Clock clock, WorkerMetrics metrics) {
        this.millis = backoff.toMillis();
        this.clock = clock;
        this.metrics = metrics;
    }

    /**
     * A call failed. The first failure since the backoff ran out is counted and logged, and starts
     * it again; the others (sends whose marks were already on their way) only extend it. So the
     * count is one per backoff at most, however many calls were in flight.
     */
    void failed(String what, Throwable e) {
        if (!active()) {
            metrics.dedupeUnavailable();
            LOG.warn("dedupe unavailable, {}; next try in {} ms{}", what, millis, e == null ? "" : ": " + e.getMessage());
        }
        retryAt = clock.millis() + millis;
    }

    boolean active() {
        return clock.millis() < retryAt;
    }
}
