package dev.impush.worker.dedupe;

import java.time.Duration;
import java.time.Instant;

/** The dedupe decision for one (message, device). */
public sealed interface Claim {
    /** Ours now: send it. */
    record Claimed() implements Claim {}

    /** Finished before ({@code sent}, or a terminal state such as an invalid token): skip it. */
    record AlreadyDone(String state) implements Claim {}

    /**
     * Another worker (or an earlier incarnation of this one) is sending it right now, or crashed
     * while sending. Not a duplicate yet: ask again when the lease runs out.
     */
    record HeldElsewhere(String holder, Duration remaining) implements Claim {}

    /**
     * The device's token was declared invalid by its vendor at {@code invalidatedAt}, and the device
     * did not register it again since: not claimed, and not to be sent (the token shield).
     */
    record Shielded(Instant invalidatedAt) implements Claim {}

    Claim CLAIMED = new Claimed();
}
