package dev.impush.worker.dispatch;

import dev.impush.model.deadletter.Attempt;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A channel behind its app's global quota, its circuit breaker and jittered retry. A spent daily
 * quota answers {@link SendOutcome.RateLimited} until the reset without calling the vendor. Transport failures (an exceptionally
 * completed send) become {@link SendOutcome.Retry} here, once for every channel. An open breaker
 * answers {@code Retry} without calling the vendor. {@link SendOutcome.AuthExpired} is resent once
 * at once: the channel refreshed its credentials when it saw it.
 *
 * <p>Each send is one {@link Send} object that walks these steps through callbacks: no chain of
 * futures per attempt, as this runs for every notification.
 */
final class GuardedChannel {
    private final PushChannel channel;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final QuotaGate quota;
    private final WorkerMetrics metrics;

    GuardedChannel(PushChannel channel, Retry retry, CircuitBreaker breaker, QuotaGate quota,
                   ScheduledExecutorService scheduler, WorkerMetrics metrics, Clock clock) {
        this.quota = quota;
        this.metrics = metrics;
        this.channel = channel;
        this.retry = retry;
        this.breaker = breaker;
        this.scheduler = scheduler;
        this.clock = clock;
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
            CompletableFuture<Optional<Instant>> admission;
            try {
                admission = quota.acquire(channel.channel());
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
                answered(new SendOutcome.RateLimited(spent.get(), "daily quota of this app is spent"));
            } else if (!breaker.tryAcquirePermission()) {
                answered(SendOutcome.retry(SendOutcome.CIRCUIT_OPEN));
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
            if (o instanceof SendOutcome.Retry r) {
                breaker.onError(took, TimeUnit.NANOSECONDS, new VendorUnavailable(r.reason()));
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
            result.complete(new SendResult(o, failed));
        }
    }

    private static String detail(SendOutcome o) {
        return switch (o) {
            case SendOutcome.Delivered d -> null; // not recorded
            case SendOutcome.InvalidToken t -> t.reason();
            case SendOutcome.Retry r -> r.reason();
            case SendOutcome.RateLimited r -> r.reason();
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
