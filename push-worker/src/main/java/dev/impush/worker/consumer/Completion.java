package dev.impush.worker.consumer;

import dev.impush.worker.channel.Delivery;
import dev.impush.worker.dedupe.DedupeKey;
import dev.impush.worker.dispatch.SendResult;

/** Work that finished off the poll thread and is handed back to it through a queue. */
sealed interface Completion {
    /**
     * A delivery got its final outcome; {@code marked} tells whether its dedupe transition was
     * already applied (else the poll thread applies it before acting on the outcome).
     */
    record Sent(JobState job, Delivery delivery, DedupeKey key, SendResult result, boolean marked)
            implements Completion {}

    /** A held claim's lease ran out: ask again. */
    record Reclaim(JobState job, Delivery delivery, DedupeKey key) implements Completion {}

    /**
     * A publication was acknowledged ({@code error == null}) or failed; {@code failures} counts its
     * earlier failed tries.
     */
    record Published(JobState job, Publication publication, int failures, Exception error) implements Completion {}
}
