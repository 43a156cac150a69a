package dev.impush.worker.channel.http;

import java.time.Duration;

/** Invariant checks for the vendor config records; each throws {@link IllegalArgumentException} naming the field. */
public final class Checks {
    private Checks() {}

    /** {@code value} is neither null nor blank. */
    public static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    /** {@code d} is more than zero. */
    public static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** {@code d} is not negative. */
    public static void requireNotNegative(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }
}
