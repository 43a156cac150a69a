package dev.impush.worker.dispatch;

import dev.impush.model.deadletter.Attempt;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.VendorApp;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.quota.QuotaGate;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A channel (one vendor app's) behind its recovery ramp, its app's global quota, its circuit breaker and jittered
 * retry. A spent daily quota and an open breaker answer {@link SendOutcome.Held} without calling the
 * vendor: until the quota's reset, or until the breaker probes again. Transport failures (an
 * exceptionally completed send) become {@link SendOutcome.Retry} here, once for every channel.
 * {@link SendOutcome.AuthExpired} is resent once at once: the channel refreshed its credentials when
 * it saw it. After an outage (the breaker closes again) the {@link RecoveryRamp} lets sends through
 * at a doubling rate.
 *
 * <p>Each send is one {@link Send} object that walks these steps through callbacks: no chain of
 * futures per attempt, as this runs for every notification.
 */
final class GuardedChannel {
    /** While the breaker probes, how long a send it refused waits before it is tried again. */
    private static final long PROBE_WAIT_MILLIS = 1_000;
    private static final long MAX_SPREAD_MILLIS = 2_000;
    private final VendorApp key;
    private final PushChannel channel;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final QuotaGate quota;
    private final WorkerMetrics metrics;
    private final RecoveryRamp ramp;
    /** How long the breaker stays open before it lets probes through. */
    private final long openForMillis;
    /** Epoch ms: when the open breaker lets probes through. */
    private volatile long openUntil;
    /** Epoch ms: when the breaker last closed again; 0 when it never opened. */
    private volatile long recoveredAt;

    GuardedChannel(VendorApp key, PushChannel channel, Retry retry, CircuitBreaker breaker, RecoveryRamp ramp, QuotaGate quota,
                   ScheduledExecutorService scheduler, WorkerMetrics metrics, Clock clock) {
        this.ramp = ramp;
        this.openForMillis = breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
        breaker.getEventPublisher().onStateTransition(e -> {
            long now = clock.millis();
            switch (e.getStateTransition().getToState()) {
                case OPEN, FORCED_OPEN -> openUntil = now + openForMillis;
                case CLOSED -> {
                    if (e.getStateTransition().getFromState() != CircuitBreaker.State.CLOSED) {
                        recoveredAt = now;
                        ramp.recovered(now);
                    }
                }
                default -> { }
            }
        });
        this.quota = quota;
        this.metrics = metrics;
        this.key = key;
        this.channel = channel;
        this.retry = retry;
        this.breaker = breaker;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    boolean healthy() {
        return breaker.getState() == CircuitBreaker.State.CLOSED;
    }

    long recoveredAt() {
        return recoveredAt;
    }

    /**
     * Until when a send refused by the breaker waits: until the open breaker lets probes through
     * (while it probes, a second), spread over up to two seconds more so the deliveries parked
     * meanwhile do not all come back in the same instant.
     */
    private Instant heldUntil() {
        long now = clock.millis();
        long base = Math.max(openUntil, now + PROBE_WAIT_MILLIS);
        long spread = Math.min(openForMillis, MAX_SPREAD_MILLIS);
        return Instant.ofEpochMilli(base + ThreadLocalRandom.current().nextLong(spread + 1));
    }

    /** Sends one delivery and records its send metrics; the future never completes exceptionally. */
    CompletableFuture<SendResult> send(Delivery delivery) {
        Send send = new Send(delivery);
        send.attempt();
        return send.result;
    }

    /**
     * One delivery on its way: quota, breaker, vendor call, then the retry decision. Its steps run
     * one after the other (each starts from the completion of the one before), so its fields need no
     * locking.
     */
    private final class Send implements BiConsumer<SendOutcome, Throwable> {
        private final Delivery delivery;
        private final CompletableFuture<SendResult> result = new CompletableFuture<>();
        private final Retry.AsyncContext<SendOutcome> retries = retry.asyncContext();
        /** Attempts that did not deliver; a delivery, by far the most common outcome, records nothing. */
        private List<Attempt> failed = List.of();
        private boolean authResent;
        private final long start = System.nanoTime();
        private long callStart;

        Send(Delivery delivery) {
            this.delivery = delivery;
        }

        void attempt() {
            long rampWait = ramp.delay(clock.millis());
            if (rampWait > 0) {
                try {
                    scheduler.schedule(this::attempt, rampWait, TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException closing) {
                    // the worker is stopping: send now rather than never
                }
            }
            CompletableFuture<Optional<Instant>> admission;
            try {
                admission = quota.acquire(key, delivery.lane());
            } catch (RuntimeException e) {
                admission = CompletableFuture.failedFuture(e);
            }
            if (admission.isDone() && !admission.isCompletedExceptionally()) {
                admitted(admission.join()); // the common case: admitted locally, no future stage
            } else {
                admission.whenComplete((spent, failure) -> {
                    if (failure != null) {
                        answered(SendOutcome.retry("quota: " + describe(failure)));
                    } else {
                        admitted(spent);
                    }
                });
            }
        }

        private void admitted(Optional<Instant> spent) {
            if (spent.isPresent()) {
                answered(new SendOutcome.Held(spent.get(), SendOutcome.Held.Cause.QUOTA,
                        "daily quota of this app is spent"));
            } else if (!breaker.tryAcquirePermission()) {
                answered(new SendOutcome.Held(heldUntil(), SendOutcome.Held.Cause.BREAKER, "circuit open"));
            } else {
                callStart = System.nanoTime();
                CompletableFuture<SendOutcome> call;
                try {
                    call = channel.send(delivery);
                } catch (RuntimeException e) {
                    call = CompletableFuture.failedFuture(e);
                }
                call.whenComplete(this);
            }
        }

        /** The vendor answered (or the transport failed): feeds the breaker. */
        @Override
        public void accept(SendOutcome outcome, Throwable failure) {
            SendOutcome o = failure == null ? outcome : SendOutcome.retry("transport: " + describe(failure));
            long took = System.nanoTime() - callStart;
            if (o instanceof SendOutcome.Retry || o instanceof SendOutcome.RateLimited) {
                // a vendor throttling the whole app (a 429 storm) is an outage too: the breaker stops
                // the calls, and the deliveries wait for it instead of climbing the tiers
                breaker.onError(took, TimeUnit.NANOSECONDS, new VendorUnavailable(o.label()));
            } else {
                breaker.onSuccess(took, TimeUnit.NANOSECONDS);
            }
            answered(o);
        }

        private void answered(SendOutcome o) {
            if (!(o instanceof SendOutcome.Delivered)) {
                if (failed.isEmpty()) {
                    failed = new ArrayList<>(2);
                }
                failed.add(new Attempt(clock.instant(), delivery.target().deviceId(), channel.channel(), o.label(),
                        detail(o)));
            }
            if (o instanceof SendOutcome.AuthExpired && !authResent) {
                authResent = true;
                attempt();
                return;
            }
            long delay = retries.onResult(o);
            if (delay >= 1) {
                try {
                    scheduler.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
                    return;
                } catch (RejectedExecutionException closing) {
                    // the worker is stopping: this answer is the last one
                }
            }
            retries.onComplete();
            metrics.sent(channel.channel(), o, Duration.ofNanos(System.nanoTime() - start));
            Instant eventAt = delivery.job().eventAt();
            if (o instanceof SendOutcome.Delivered && eventAt != null) {
                metrics.delivered(channel.channel(), Duration.between(eventAt, clock.instant()));
            }
            result.complete(new SendResult(o, failed));
        }
    }

    private static String detail(SendOutcome o) {
        return switch (o) {
            case SendOutcome.Delivered d -> null; // not recorded
            case SendOutcome.InvalidToken t -> t.reason();
            case SendOutcome.Retry r -> r.reason();
            case SendOutcome.RateLimited r -> r.reason();
            case SendOutcome.Held h -> h.reason();
            case SendOutcome.AuthExpired a -> a.reason();
            case SendOutcome.Rejected r -> r.reason();
        };
    }

    private static String describe(Throwable t) {
        Throwable root = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    /** Records a vendor-side failure in the breaker. */
    private static final class VendorUnavailable extends RuntimeException {
        VendorUnavailable(String reason) {
            super(reason, null, false, false);
        }
    }
}
