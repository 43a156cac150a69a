package dev.impush.worker.publish;

import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.feedback.Feedback;
import java.util.function.Consumer;

/**
 * Where the worker's results go on Kafka. Each call reports once to {@code done}: {@code null} when the
 * broker acknowledged the record, else the failure (any thread). {@link OutcomePublisher} is the real one.
 */
public interface Publisher {
    /** Feedback for the detector (an invalid token), keyed by user. */
    void feedback(Feedback feedback, Consumer<Exception> done);

    /** @param key the original record's key (the user id), so dead letters stay ordered per user */
    void deadLetter(byte[] key, DeadLetter letter, Consumer<Exception> done);

    /** A job narrowed to the devices that failed, onto a retry tier or parking topic. */
    void retry(RetryRecord record, Consumer<Exception> done);
}
