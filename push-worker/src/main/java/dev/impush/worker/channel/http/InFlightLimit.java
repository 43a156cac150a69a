package dev.impush.worker.channel.http;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * At most {@code max} asynchronous calls in flight; later ones wait in arrival order, holding no
 * thread, and start (on {@code executor}, so a chain of calls that complete at once never deepens the
 * stack) as earlier ones complete. Thread-safe.
 */
final class InFlightLimit {
    private final int max;
    private final Executor executor;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int running;

    InFlightLimit(int max, Executor executor) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        this.max = max;
        this.executor = executor;
    }

    /** {@code call}'s result, once a place is free and the call completes. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> call) {
        if (max == Integer.MAX_VALUE) {
            return call.get();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable start = () -> {
            CompletableFuture<T> f;
            try {
                f = call.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((value, failure) -> {
                release();
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(value);
                }
            });
        };
        boolean now;
        synchronized (this) {
            now = running < max;
            if (now) {
                running++;
            } else {
                waiting.add(start);
            }
        }
        if (now) {
            start.run();
        }
        return result;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            executor.execute(next);
        }
    }
}
