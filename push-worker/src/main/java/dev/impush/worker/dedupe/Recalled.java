package dev.impush.worker.dedupe;

/** What a recall found of the recalled message's push to one device ({@link Dedupe#recall}). */
public sealed interface Recalled {
    /** The push was sent: the recall replaces its notification. */
    record WasSent() implements Recalled {}

    /** It had not gone out, and now never will: the recall marked it done. Nothing to replace. */
    record Cancelled() implements Recalled {}

    /** It ended without being sent before (an invalid token, or recalled already). Nothing to replace. */
    record NeverSent() implements Recalled {}

    /** A worker ({@code holder}) is sending it right now, or died doing so: ask again later. */
    record Sending(String holder) implements Recalled {}

    Recalled WAS_SENT = new WasSent();
    Recalled CANCELLED = new Cancelled();
    Recalled NEVER_SENT = new NeverSent();
}
