package dev.impush.worker.dispatch;

import dev.impush.model.deadletter.Attempt;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.quota.QuotaGate;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A channel behind its app's global quota, its circuit breaker and jittered retry. A spent daily
 * quota answers {@link SendOutcome.RateLimited} until the reset without calling the vendor. Transport failures (an exceptionally
 * completed send) become {@link SendOutcome.Retry} here, once for every channel. An open breaker
 * answers {@code Retry} without calling the vendor. {@link SendOutcome.AuthExpired} is resent once
 * at once: the channel refreshed its credentials when it saw it.
 */
final class GuardedChannel {
    private final PushChannel channel;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final QuotaGate quota;

    GuardedChannel(PushChannel channel, Retry retry, CircuitBreaker breaker, QuotaGate quota,
                   ScheduledExecutorService scheduler, Clock clock) {
        this.quota = quota;
        this.channel = channel;
        this.retry = retry;
        this.breaker = breaker;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    CompletableFuture<SendResult> send(Delivery delivery) {
        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>(2));
        boolean[] authResent = {false};
        return Retry.decorateCompletionStage(retry, scheduler, () -> attempt(delivery, attempts)
                        .thenCompose(outcome -> {
                            if (outcome instanceof SendOutcome.AuthExpired && !authResent[0]) {
                                authResent[0] = true;
                                return attempt(delivery, attempts);
                            }
                            return CompletableFuture.completedFuture(outcome);
                        }))
                .get()
                .toCompletableFuture()
                .thenApply(outcome -> new SendResult(outcome, attempts));
    }

    private CompletableFuture<SendOutcome> attempt(Delivery delivery, List<Attempt> attempts) {
        return quota.acquire(channel.channel())
                .thenCompose(spent -> spent.isPresent()
                        ? CompletableFuture.completedFuture(
                                new SendOutcome.RateLimited(spent.get(), "daily quota of this app is spent"))
                        : call(delivery))
                .thenApply(o -> {
                    // Only what did not deliver is ever reported (dead letters, retry tiers); a
                    // delivery, by far the most common outcome, costs no clock read or record here.
                    if (!(o instanceof SendOutcome.Delivered)) {
                        attempts.add(new Attempt(clock.instant(), delivery.target().deviceId(), channel.channel(),
                                o.label(), detail(o)));
                    }
                    return o;
                });
    }

    private CompletableFuture<SendOutcome> call(Delivery delivery) {
        CompletableFuture<SendOutcome> call;
        long start = System.nanoTime();
        if (!breaker.tryAcquirePermission()) {
            call = CompletableFuture.completedFuture(SendOutcome.retry(SendOutcome.CIRCUIT_OPEN));
        } else {
            try {
                call = channel.send(delivery).handle((outcome, failure) -> {
                    SendOutcome o = failure == null ? outcome : SendOutcome.retry("transport: " + describe(failure));
                    long took = System.nanoTime() - start;
                    if (o instanceof SendOutcome.Retry r) {
                        breaker.onError(took, TimeUnit.NANOSECONDS, new VendorUnavailable(r.reason()));
                    } else {
                        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
                    }
                    return o;
                });
            } catch (RuntimeException e) {
                breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
                call = CompletableFuture.completedFuture(SendOutcome.retry("transport: " + describe(e)));
            }
        }
        return call;
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
