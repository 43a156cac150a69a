package dev.impush.worker.channel.http;

import dev.impush.model.Lane;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * At most {@code max} asynchronous calls in flight; later ones wait, holding no thread, and start
 * (on {@code executor}, so a chain of calls that complete at once never deepens the stack) as earlier
 * ones complete: the waiting chat calls first, then the bulk lane's, each in arrival order. A chat
 * push never queues behind a broadcast's requests for a connection. Thread-safe.
 */
final class InFlightLimit {
    private final int max;
    private final Executor executor;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private final Queue<Runnable> bulkWaiting = new ArrayDeque<>();
    private int running;

    InFlightLimit(int max, Executor executor) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive: " + max);
        }
        this.max = max;
        this.executor = executor;
    }

    /** {@code call}'s result, once a place is free and the call completes; ahead of every bulk call waiting. */
    <T> CompletableFuture<T> run(Supplier<CompletableFuture<T>> call) {
        return run(Lane.CHAT, call);
    }

    /** {@code call}'s result, once a place is free (before the bulk lane's when {@code lane} is chat) and the call completes. */
    <T> CompletableFuture<T> run(Lane lane, Supplier<CompletableFuture<T>> call) {
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
                (lane == Lane.BULK ? bulkWaiting : waiting).add(start);
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
            next = waiting.isEmpty() ? bulkWaiting.poll() : waiting.poll();
            if (next == null) {
                running--;
            }
        }
        if (next != null) {
            executor.execute(next);
        }
    }
}
