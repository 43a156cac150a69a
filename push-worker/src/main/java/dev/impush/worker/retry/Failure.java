package dev.impush.worker.retry;

import dev.impush.model.deadletter.Attempt;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.dispatch.SendResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A device a job could not be delivered to, and why.
 *
 * @param target  the device; {@code null} when the whole record was unreadable
 * @param retryAt when a retry may succeed; {@code null} when it never will
 * @param heldBy  what held the send back without asking the vendor (no attempt spent); {@code null}
 *                when the vendor answered
 */
public record Failure(PushTarget target, DeadLetterReason reason, String detail, List<Attempt> attempts,
                      Instant retryAt, SendOutcome.Held.Cause heldBy) {

    /** A failure that no retry fixes. */
    public static Failure permanent(PushTarget target, DeadLetterReason reason, String detail) {
        return new Failure(target, reason, detail, List.of(), null, null);
    }

    /** The failure a send ended with at {@code now}; empty when it delivered or found the token invalid. */
    public static Optional<Failure> of(PushTarget target, SendResult result, Instant now) {
        List<Attempt> attempts = result.attempts();
        return Optional.ofNullable(switch (result.outcome()) {
            case SendOutcome.Delivered d -> null;
            case SendOutcome.InvalidToken t -> null;
            case SendOutcome.Retry r -> new Failure(target, DeadLetterReason.RETRIES_EXHAUSTED, r.reason(), attempts,
                    now.plus(r.after()), null);
            case SendOutcome.RateLimited r -> new Failure(target, DeadLetterReason.RATE_LIMITED,
                    r.reason() + " (until " + r.until() + ")", attempts, r.until(), null);
            case SendOutcome.Held h -> new Failure(target, DeadLetterReason.RATE_LIMITED,
                    h.reason() + " (until " + h.until() + ")", attempts, h.until(), h.cause());
            case SendOutcome.AuthExpired a -> new Failure(target, DeadLetterReason.REJECTED,
                    "credentials refused after refresh: " + a.reason(), attempts, now, null);
            case SendOutcome.Rejected r -> new Failure(target, DeadLetterReason.REJECTED, r.reason(), attempts, null,
                    null);
        });
    }

    public boolean retryable() {
        return retryAt != null;
    }
}
