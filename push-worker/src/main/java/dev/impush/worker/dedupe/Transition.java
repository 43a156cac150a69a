package dev.impush.worker.dedupe;

import java.time.Instant;

/** How a claim ends. */
public sealed interface Transition {
    DedupeKey key();

    /**
     * Ends a claim for good: the mark blocks re-sends as long as its job can turn up again, until
     * the job's {@code expiresAt} (null: it has none) plus a margin, at most the sent TTL.
     */
    sealed interface Mark extends Transition {
        Instant expiresAt();
    }

    /** The vendor accepted it: never send it again. */
    record MarkSent(DedupeKey key, Instant expiresAt) implements Mark {}

    /** It can never be sent (e.g. the token is invalid): never try again, recording why. */
    record MarkDone(DedupeKey key, String state, Instant expiresAt) implements Mark {}

    /** It was not sent: let a retry or replay claim it again. */
    record Release(DedupeKey key) implements Transition {}
}
