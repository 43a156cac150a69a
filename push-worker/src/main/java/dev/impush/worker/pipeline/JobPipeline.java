package dev.impush.worker.pipeline;

import dev.impush.model.codec.ContractCodec;
import dev.impush.model.job.PushJob;
import dev.impush.worker.broadcast.BroadcastTally;
import dev.impush.worker.dedupe.Claim;
import dev.impush.worker.dedupe.Dedupe;
import dev.impush.worker.dedupe.DedupeUnavailableException;
import dev.impush.worker.dedupe.Recalled;
import dev.impush.worker.dedupe.Transition;
import dev.impush.worker.dispatch.SendResult;
import dev.impush.worker.dispatch.Sender;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.publish.Publication;
import dev.impush.worker.publish.Publisher;
import dev.impush.worker.publish.Settlement;
import dev.impush.worker.retry.Lanes;
import dev.impush.worker.retry.RetryRouter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What happens to each polled record, as a state machine driven by the poll thread:
 * <pre>
 *   intake: decode, fan out, claim every (message, device) in one round trip
 *     Claimed ............................ send ─▶ answered ─▶ marked (the pass's answers: one round trip) ─▶ outcome
 *     Claimed/held by our own send ........ wait for that send: it sent ─▶ duplicate; it released ─▶ re-claim
 *     HeldElsewhere ....................... re-claim when the holder's lease runs out
 *     AlreadyDone ......................... duplicate          Shielded ... dropped (token-invalid)
 *     a recall's device, first: its message's push sent ─▶ claimed as above; not sent yet ─▶ marked done
 *     (cancelled); never sent ─▶ dropped; being sent ─▶ retry tier
 *   a record with nothing outstanding ─▶ settle its failures (retry, park, dead letter) ─▶ Finished
 * </pre>
 * Work done on other threads (vendor answers, Redis confirmations, broker acknowledgements) comes
 * back through one inbox that {@link #drain} empties; nothing calls back into the poll loop, which
 * commits what {@link #drain} returns. Nothing is sent without a dedupe decision, and nothing
 * finishes without its transition: if Redis does not answer, {@link #intake} refuses the batch, and
 * after any Redis failure the pipeline leaves Redis alone for the backoff.
 */
public final class JobPipeline {
    /**
     * @param lanes        each lane's retry tiers and parking topics (a record's retries stay in its lane)
     * @param redisBackoff how long Redis is left alone after it failed
     * @param tally        counts what became of broadcasts' devices
     */
    public record Settings(String workerId, Lanes lanes, Duration redisBackoff, int maxJobBytes, BroadcastTally tally) {}

    private final ContractCodec<PushJob> codec;
    private final Dedupe dedupe;
    private final Sender sender;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final String workerId;
    private final Settlement settlement;
    private final Lanes lanes;
    private final Queue<Event> inbox = new ConcurrentLinkedQueue<>();
    private final Timers timers = new Timers();
    private final Publications publications;
    private final RedisBackoff redis;
    private final SendsInFlight sending = new SendsInFlight();
    private final Marks marks;
    private final BroadcastTally tally;
    private final Reclaims reclaims;
    private List<Finished> finished = new ArrayList<>();
    private int inFlight;

    public JobPipeline(Dedupe dedupe, Sender sender, Publisher publisher, WorkerMetrics metrics, Clock clock,
                       Settings settings) {
        this.codec = ContractCodec.jobs(settings.maxJobBytes());
        this.dedupe = dedupe;
        this.sender = sender;
        this.metrics = metrics;
        this.clock = clock;
        this.workerId = settings.workerId();
        this.lanes = settings.lanes();
        this.tally = settings.tally();
        this.settlement = new Settlement(settings.lanes(), RetryRouter::jittered, publisher, metrics, tally, clock,
                workerId);
        this.publications = new Publications(inbox, timers, metrics, clock);
        this.redis = new RedisBackoff(settings.redisBackoff(), clock, metrics);
        this.marks = new Marks(dedupe, inbox, sending);
        this.reclaims = new Reclaims(timers, clock);
    }

    /**
     * Takes a polled batch in. Returns false, having done nothing, when Redis cannot decide dedupe:
     * the caller must rewind the batch and try again later.
     */
    public boolean intake(List<Incoming> batch) {
        Fanout fanout = Fanout.of(batch, codec, sender::missing, lanes::laneOf, clock.instant());
        List<Send> recalling = fanout.recalling();
        List<Recalled> found;
        List<Send> toClaim;
        List<Claim> claims;
        try {
            // a recall marks what it cancels at once; taken in again after a failure, it finds those done
            found = recalling.isEmpty() ? List.of() : dedupe.recall(recalling.stream().map(Send::recalled).toList());
            toClaim = recalling.isEmpty() ? fanout.sends() : fanout.toClaim(recalling, found);
            claims = Reclaims.claim(dedupe, toClaim);
        } catch (DedupeUnavailableException e) {
            redis.failed(batch.size() + " records go back to Kafka", e);
            return false;
        }
        inFlight += fanout.jobs().size();
        fanout.jobs().forEach(JobState::expect); // held until every delivery of the record was handed out
        for (int i = 0; i < claims.size(); i++) {
            toClaim.get(i).job().expect();
            claimed(toClaim.get(i), claims.get(i));
        }
        Fanout.recalled(recalling, found, metrics, clock.instant());
        fanout.count(metrics, tally, clock.instant());
        fanout.jobs().forEach(this::arrive);
        return true;
    }

    private void claimed(Send s, Claim claim) {
        switch (claim) {
            // our own send is in flight (its claim ran out while Redis was away, or another record
            // holds the same key): one send is enough, decide when it ends
            case Claim.Claimed c when sending.has(s.key()) -> sending.waitFor(s);
            case Claim.HeldElsewhere h when h.holder().equals(workerId) && sending.has(s.key()) -> sending.waitFor(s);
            case Claim.Claimed c -> send(s);
            // another worker is sending it, or died doing so: ask again when its lease runs out
            case Claim.HeldElsewhere h -> reclaims.after(h.remaining(), s);
            case Claim.AlreadyDone done -> {
                metrics.duplicate();
                arrive(s.job());
            }
            case Claim.Shielded shielded -> {
                metrics.dropped("token-invalid");
                tally.count(s.job().job, BroadcastTally.Outcome.DROPPED, 1);
                arrive(s.job());
            }
        }
    }

    private void send(Send s) {
        sending.started(s.key());
        sender.send(s.delivery()).thenAccept(result -> inbox.add(new Event.Answered(s, result)));
    }

    /**
     * Handles everything that came back since the last call and whatever is due, and applies the
     * transitions of the answers in one round trip; returns the records finished since.
     */
    public List<Finished> drain() {
        handleInbox();
        timers.runDue(clock.millis());
        if (!redis.active()) {
            marks.flush();
        }
        handleInbox(); // what came back meanwhile: a fast Redis has confirmed the marks already
        if (!redis.active()) {
            renewAndReclaim();
        }
        List<Finished> out = finished;
        finished = new ArrayList<>();
        return out;
    }

    private void handleInbox() {
        for (Event e; (e = inbox.poll()) != null; ) {
            switch (e) {
                case Event.Answered a -> marks.answered(a);
                case Event.Marked m when m.error() == null -> m.answers().forEach(a -> sent(a.send(), a.result()));
                case Event.Marked m -> {
                    redis.failed(m.answers().size() + " transitions wait", m.error());
                    marks.unconfirmed(m.answers());
                }
                case Event.Published p when publications.answered(p) -> arrive(p.job());
                case Event.Published p -> { }
            }
        }
    }

    /** A send's transition is applied: act on its outcome and settle the duplicates that waited for it. */
    private void sent(Send s, SendResult result) {
        settlement.answered(s.job().job, s.job().failures, s.delivery().target(), result)
                .ifPresent(feedback -> publish(s.job(), feedback));
        arrive(s.job());
        List<Send> waiting = sending.ended(s.key());
        if (Transition.of(s.key(), result.outcome()) instanceof Transition.Release) {
            reclaims.now(waiting); // it was not sent: the next one may try
        } else {
            waiting.forEach(w -> {
                metrics.duplicate();
                arrive(w.job());
            });
        }
    }

    /** Renews the claims of the sends in flight when due, then claims again what waits for it. */
    private void renewAndReclaim() {
        try {
            sending.renewIfDue(dedupe, clock.millis(), metrics);
        } catch (DedupeUnavailableException e) {
            redis.failed(sending.size() + " claim renewals wait", e);
            return;
        }
        try {
            reclaims.claim(dedupe, this::claimed);
        } catch (DedupeUnavailableException e) {
            redis.failed(reclaims.size() + " re-claims wait", e);
        }
    }

    private void publish(JobState job, Publication publication) {
        job.expect();
        publications.start(job, publication);
    }

    /** One outstanding piece of {@code job} is done; finishes the record when it was the last. */
    private void arrive(JobState job) {
        if (!job.arrive()) {
            return;
        }
        if (job.needsSettlement()) {
            List<Publication> settling = settlement.settle(job.record, job.job, job.failures, sender::healthy);
            if (!settling.isEmpty()) {
                settling.forEach(p -> publish(job, p));
                return;
            }
        }
        inFlight--;
        finished.add(job.finished());
    }

    /** Records taken in and not finished yet. */
    public int inFlight() {
        return inFlight;
    }

    /** Deliveries being sent: what the in-flight bound counts, besides records. */
    public int deliveriesInFlight() {
        return sending.size();
    }

    /** Transitions or re-claims wait for Redis, or Redis failed within the backoff. */
    public boolean blockedOnDedupe() {
        return reclaims.waiting() || redis.active();
    }

    /** How long publications have been failing without a success in between (zero when they are not). Any thread. */
    public Duration publishFailingFor() {
        return publications.failingFor();
    }
}
