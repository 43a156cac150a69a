package dev.impush.worker.dedupe;

/** How a claim ends. */
public sealed interface Transition {
    DedupeKey key();

    /** The vendor accepted it: never send it again (for the sent-TTL). */
    record MarkSent(DedupeKey key) implements Transition {}

    /** It can never be sent (e.g. the token is invalid): never try again, recording why. */
    record MarkDone(DedupeKey key, String state) implements Transition {}

    /** It was not sent: let a retry or replay claim it again. */
    record Release(DedupeKey key) implements Transition {}
}
