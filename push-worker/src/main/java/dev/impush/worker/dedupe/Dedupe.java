package dev.impush.worker.dedupe;

import dev.impush.model.Channel;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.job.PushTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The dedupe decisions the pipeline asks for: per (message, device) a claim before the send and a
 * {@link Transition} after it, plus the token shield. {@link DedupeStore} keeps them in Redis.
 * Called from the poll thread only.
 */
public interface Dedupe {
    /**
     * Claims every key, in order; a key whose device's token the shield holds (declared invalid and
     * not registered again since) is {@link Claim.Shielded} instead. One round trip.
     *
     * @param targets each key's device
     */
    List<Claim> claim(List<DedupeKey> keys, List<PushTarget> targets) throws DedupeUnavailableException;

    /**
     * Recalls the pushes of {@code keys} (each a delivery of a recalled message), in order: tells what
     * became of each, and marks a delivery that was neither sent nor claimed done, so it is never sent.
     * One round trip (on a Redis Cluster, one per shard, in parallel). Legacy-layout keys are not read.
     */
    List<Recalled> recall(List<DedupeKey> keys) throws DedupeUnavailableException;

    /** Applies the transitions; the future fails when the store does not confirm all of them. */
    CompletableFuture<Void> apply(List<Transition> transitions);

    /**
     * Extends the claims this worker still holds to a full lease again, in order; false for a key
     * whose claim is no longer ours. One round trip.
     */
    List<Boolean> renew(List<DedupeKey> keys) throws DedupeUnavailableException;

    /** How long a claim holds unless renewed. */
    Duration lease();

    /**
     * Raises the token shield: every replica's claims refuse {@code token} from now on, unless its
     * device registers it again after {@code invalidatedAt}. Best effort, never blocks.
     */
    void shield(String userId, Channel channel, String token, Instant invalidatedAt);
}
