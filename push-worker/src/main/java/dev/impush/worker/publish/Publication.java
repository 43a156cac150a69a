package dev.impush.worker.publish;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Something a record waits for on Kafka (a retry-tier record, a dead letter, feedback), with what to
 * publish instead when the broker refuses the record itself (too large): a dead letter for a retry
 * record, a letter that points at the record for a letter with the job. {@code null} fallback:
 * nothing smaller exists.
 *
 * @param what     for logs and metrics: retry | dead-letter | feedback
 * @param send     publishes, calling back with {@code null} on success or the failure (any thread)
 * @param fallback what to publish instead, built when needed
 */
public record Publication(String what, Consumer<Consumer<Exception>> send, Supplier<Publication> fallback) {
    public static Publication of(String what, Consumer<Consumer<Exception>> send) {
        return new Publication(what, send, () -> null);
    }
}
