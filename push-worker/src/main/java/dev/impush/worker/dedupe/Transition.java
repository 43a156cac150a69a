package dev.impush.worker.dedupe;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.worker.channel.SendOutcome;
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

    /** How the claim of {@code key} ends when its send ended with {@code outcome}. */
    static Transition of(DedupeKey key, Instant expiresAt, SendOutcome outcome) {
        return switch (outcome) {
            case SendOutcome.Delivered d -> new MarkSent(key, expiresAt);
            case SendOutcome.InvalidToken t -> new MarkDone(key, "invalid-token", expiresAt);
            case SendOutcome.Retry r -> new Release(key);
            case SendOutcome.RateLimited r -> new Release(key);
            case SendOutcome.Held h -> new Release(key);
            case SendOutcome.AuthExpired a -> new Release(key);
            case SendOutcome.Rejected r -> new Release(key);
        };
    }
}
