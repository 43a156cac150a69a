package dev.impush.worker.dedupe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for the replies of script calls on the poll thread. */
final class Replies {
    private Replies() {}

    /** The values of {@code calls}, waiting at most {@code timeout} for all of them. */
    static <T> List<T> await(List<CompletableFuture<T>> calls, Duration timeout) throws DedupeUnavailableException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> values = new ArrayList<>(calls.size());
        try {
            for (CompletableFuture<T> c : calls) {
                values.add(c.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return values;
        } catch (ExecutionException e) {
            throw new DedupeUnavailableException("redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DedupeUnavailableException("redis did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DedupeUnavailableException("interrupted", e);
        }
    }
}
