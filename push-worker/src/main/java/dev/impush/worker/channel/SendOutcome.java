package dev.impush.worker.channel;

import java.time.Duration;
import java.time.Instant;

/**
 * What a vendor answered for one notification to one device. Channels translate their vendor's
 * codes into exactly one of these; the pipeline switches over them exhaustively.
 */
public sealed interface SendOutcome {

    /** A short label for metrics and attempt history ({@code delivered}, {@code invalid-token}, ...). */
    String label();

    /** Accepted by the vendor. */
    record Delivered() implements SendOutcome {
        public String label() { return "delivered"; }
    }

    /**
     * The token will never work again: remove it.
     *
     * @param invalidatedAt the vendor's own timestamp when it gives one, else the time of the answer
     */
    record InvalidToken(Instant invalidatedAt, String reason) implements SendOutcome {
        public String label() { return "invalid-token"; }
    }

    /** A transient failure (5xx, IO, circuit open): try again, not before {@code after}. */
    record Retry(Duration after, String reason) implements SendOutcome {
        public String label() { return "retry"; }
    }

    /** The vendor throttles this app or device: nothing to this target before {@code until}. */
    record RateLimited(Instant until, String reason) implements SendOutcome {
        public String label() { return "rate-limited"; }
    }

    /** The vendor refused our credentials as expired: refresh them and resend once. */
    record AuthExpired(String reason) implements SendOutcome {
        public String label() { return "auth-expired"; }
    }

    /** Refused for good (payload, topic, configuration): retrying cannot help. */
    record Rejected(String reason) implements SendOutcome {
        public String label() { return "rejected"; }
    }

    SendOutcome DELIVERED = new Delivered();

    /** The reason of a {@link Retry} answered by an open circuit breaker, without calling the vendor. */
    String CIRCUIT_OPEN = "circuit open";

    static SendOutcome retry(String reason) {
        return new Retry(Duration.ZERO, reason);
    }
}
