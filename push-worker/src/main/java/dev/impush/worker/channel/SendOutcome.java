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

    /** A transient failure (5xx, IO): try again, not before {@code after}. */
    record Retry(Duration after, String reason) implements SendOutcome {
        public String label() { return "retry"; }
    }

    /** The vendor throttles this app or device: nothing to this target before {@code until}. */
    record RateLimited(Instant until, String reason) implements SendOutcome {
        public String label() { return "rate-limited"; }
    }

    /**
     * Not sent, and not the vendor's answer: the channel's circuit breaker is open (the vendor is
     * failing) or its app's quota is spent. Nothing to this target before {@code until}; the
     * delivery waits for that without spending an attempt or climbing a retry tier.
     */
    record Held(Instant until, Cause cause, String reason) implements SendOutcome {
        /** What the delivery waits for. */
        public enum Cause { BREAKER, QUOTA }

        public String label() { return "held"; }
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

    static SendOutcome retry(String reason) {
        return new Retry(Duration.ZERO, reason);
    }
}
