package dev.impush.worker.dedupe;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.worker.channel.SendOutcome;

/** How a claim ends. */
public sealed interface Transition {
    DedupeKey key();

    /** The vendor accepted it: never send it again (while its job can turn up again, see {@link MarkTtl}). */
    record MarkSent(DedupeKey key) implements Transition {}

    /** It can never be sent (e.g. the token is invalid): never try again. */
    record MarkDone(DedupeKey key) implements Transition {}

    /** It was not sent: let a retry or replay claim it again. */
    record Release(DedupeKey key) implements Transition {}

    /** How the claim of {@code key} ends when its send ended with {@code outcome}. */
    static Transition of(DedupeKey key, SendOutcome outcome) {
        return switch (outcome) {
            case SendOutcome.Delivered d -> new MarkSent(key);
            case SendOutcome.InvalidToken t -> new MarkDone(key);
            case SendOutcome.Retry r -> new Release(key);
            case SendOutcome.RateLimited r -> new Release(key);
            case SendOutcome.Held h -> new Release(key);
            case SendOutcome.AuthExpired a -> new Release(key);
            case SendOutcome.Rejected r -> new Release(key);
        };
    }
}
