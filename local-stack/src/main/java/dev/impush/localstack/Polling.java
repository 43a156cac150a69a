package dev.impush.localstack;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a fixture's state: polls a condition every 100 ms until it holds. */
public final class Polling {
    private Polling() {}

    /** Returns once {@code condition} holds; fails with {@code failure} after {@code timeout}. */
    public static void until(Duration timeout, BooleanSupplier condition, String failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(failure);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
