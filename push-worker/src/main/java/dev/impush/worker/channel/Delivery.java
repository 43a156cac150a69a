package dev.impush.worker.channel;

import dev.impush.model.Lane;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;

/**
 * One job's notification to one of its devices, in the job's lane: the unit a channel sends.
 *
 * @param trace the trace context of the IM event the job came from ({@link Context#root()}: none)
 */
public record Delivery(PushJob job, PushTarget target, Lane lane, Context trace) {

    /** A chat-lane delivery without a trace. */
    public Delivery(PushJob job, PushTarget target) {
        this(job, target, Lane.CHAT, Context.root());
    }

    public Notification notification() {
        return job.notification();
    }

    public String messageId() {
        return job.messageId();
    }

    /** When the vendor should stop trying to deliver it; absent = the vendor's default. */
    public Instant expiresAt() {
        return job.expiresAt();
    }

    /**
     * The time from {@code now} until the job expires, clamped to {@code [min, max]} (a vendor's
     * TTL bounds); only for a job with {@link #expiresAt()}.
     */
    public Duration timeLeft(Instant now, Duration min, Duration max) {
        Duration left = Duration.between(now, expiresAt());
        return left.compareTo(min) < 0 ? min : left.compareTo(max) > 0 ? max : left;
    }
}
