package dev.impush.worker.dedupe;

import java.time.Duration;

/** What a recall found of the recalled message's push to one device ({@link Dedupe#recall}). */
public sealed interface Recalled {
    /** The push was sent: the recall replaces its notification. */
    record WasSent() implements Recalled {}

    /** It had not gone out, and now never will: the recall marked it done. Nothing to replace. */
    record Cancelled() implements Recalled {}

    /** It ended without being sent before (an invalid token, or recalled already). Nothing to replace. */
    record NeverSent() implements Recalled {}

    /** A worker is sending it right now ({@code holder}'s claim, for {@code remaining}): ask again after. */
    record Sending(String holder, Duration remaining) implements Recalled {}

    Recalled WAS_SENT = new WasSent();
    Recalled CANCELLED = new Cancelled();
    Recalled NEVER_SENT = new NeverSent();
}
