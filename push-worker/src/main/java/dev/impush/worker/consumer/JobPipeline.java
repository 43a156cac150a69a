package dev.impush.worker.consumer;

import dev.impush.model.Tokens;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.Attempt;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.feedback.InvalidTokenFeedback;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.dedupe.Claim;
import dev.impush.worker.dedupe.DedupeKey;
import dev.impush.worker.dedupe.DedupeStore;
import dev.impush.worker.dedupe.DedupeUnavailableException;
import dev.impush.worker.dedupe.Transition;
import dev.impush.worker.dispatch.Dispatcher;
import dev.impush.worker.dispatch.SendResult;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.publish.OutcomePublisher;
import dev.impush.worker.publish.PublishErrors;
import dev.impush.worker.retry.RetryTiers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to each consumed record: decode, claim its (message, device) keys in one pipelined
 * Redis round trip, dispatch the claimed deliveries asynchronously, and, as answers come back,
 * apply the dedupe transitions (one round trip per drain), report invalid tokens, dead-letter what
 * failed, and declare the record finished.
 *
 * <p>Confined to the poll thread, except {@link #completions}, which callbacks on other threads
 * feed. Nothing is sent without a dedupe decision: if Redis does not answer, {@link #intake}
 * refuses the batch and the caller rewinds it. After any Redis failure the pipeline leaves Redis
 * alone for the backoff: no claim, transition or re-claim is tried (and logged) every poll.
 */
final class JobPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(JobPipeline.class);
    /** Dead letters keep at most this much of an unreadable record. */
    private static final int MAX_RAW_BYTES = 64 * 1024;
    /** What a letter keeps of the record when the broker refused a larger one: enough to recognise it. */
    private static final int POINTER_RAW_BYTES = 4 * 1024;
    /** A retry record or dead letter carries at most this many attempts (the most recent). */
    static final int MAX_ATTEMPTS_KEPT = 50;
    /** Longest dead-letter detail kept (it lists a reason per failed device). */
    private static final int MAX_DETAIL_CHARS = 4096;
    /** Backoff between tries of a failed publication: doubling from the first, up to the last. */
    private static final long PUBLISH_BACKOFF_MIN_MS = 100;
    private static final long PUBLISH_BACKOFF_MAX_MS = 5_000;

    /** A record handed to {@link #intake}, with the tracker of its partition's assignment. */
    record Intake(PartitionOffsetTracker tracker, org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record) {}

    private final ContractCodec<PushJob> codec;
    private final DedupeStore dedupe;
    private final Dispatcher dispatcher;
    private final OutcomePublisher publisher;
    private final WorkerMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final String workerId;
    private final Consumer<JobState> onFinished;
    private final RetryRouter router;
    private final long redisBackoffMillis;
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final List<Completion.Sent> awaitingTransition = new ArrayList<>();
    private final List<Completion.Reclaim> awaitingReclaim = new ArrayList<>();
    /** Keys this worker is sending now, with the duplicates that arrived meanwhile. */
    private final Map<DedupeKey, List<Completion.Reclaim>> sending = new HashMap<>();
    private int inFlight;
    /** Deliveries handed to the channels and not finished: a job can carry up to 100. */
    private int deliveriesInFlight;
    /** Epoch ms at which the claims of the sends in flight are next renewed. */
    private long renewAt;
    /** Epoch ms before which Redis is not asked again (set by a failure). */
    private long redisRetryAt;
    /** Epoch ms of the first failure of the publications failing now; 0 when none is. Read by readiness. */
    private volatile long publishFailingSince;
    private int publishesFailing;

    JobPipeline(ContractCodec<PushJob> codec, DedupeStore dedupe, Dispatcher dispatcher, OutcomePublisher publisher,
                WorkerMetrics metrics, ScheduledExecutorService scheduler, Clock clock, String workerId,
                RetryTiers tiers, Duration redisBackoff, Consumer<JobState> onFinished) {
        this.codec = codec;
        this.dedupe = dedupe;
        this.dispatcher = dispatcher;
        this.publisher = publisher;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.clock = clock;
        this.workerId = workerId;
        this.onFinished = onFinished;
        this.router = new RetryRouter(tiers, RetryRouter::jittered);
        this.redisBackoffMillis = redisBackoff.toMillis();
    }

    /** Records taken in and not finished yet. */
    int inFlight() {
        return inFlight;
    }

    /** Deliveries being sent: what the in-flight bound counts, besides records. */
    int deliveriesInFlight() {
        return deliveriesInFlight;
    }

    /** How long publications have been failing without a success in between (zero when they are not). */
    Duration publishFailingFor() {
        long since = publishFailingSince;
        return since == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - since));
    }

    /** Redis transitions or re-claims wait for Redis to come back, or Redis failed within the backoff. */
    boolean blockedOnDedupe() {
        return !awaitingTransition.isEmpty() || !awaitingReclaim.isEmpty() || redisBackingOff();
    }

    private boolean redisBackingOff() {
        return clock.millis() < redisRetryAt;
    }

    /** Counts and logs a failed Redis call, and leaves Redis alone for the backoff. */
    private void redisFailed(String what, DedupeUnavailableException e) {
        metrics.dedupeUnavailable();
        redisRetryAt = clock.millis() + redisBackoffMillis;
        LOG.warn("dedupe unavailable, {}; next try in {} ms: {}", what, redisBackoffMillis, e.getMessage());
    }

    /**
     * Takes a polled batch in. Returns false, having done nothing, when Redis cannot decide
     * dedupe: the caller must rewind the batch and try again later.
     */
    boolean intake(List<Intake> batch) {
        List<JobState> states = new ArrayList<>(batch.size());
        List<Delivery> deliveries = new ArrayList<>();
        List<JobState> owners = new ArrayList<>();
        List<DedupeKey> keys = new ArrayList<>();
        for (Intake in : batch) {
            var r = in.record();
            var partition = new org.apache.kafka.common.TopicPartition(r.topic(), r.partition());
            JobState state;
            switch (codec.decode(r.value())) {
                case Decoded.Ok<PushJob> ok -> {
                    state = new JobState(partition, in.tracker(), r, ok.value());
                    if (!ok.value().isExpired(clock.instant())) {
                        for (PushTarget t : ok.value().targets()) {
                            if (dispatcher.supports(t.channel())) {
                                deliveries.add(new Delivery(ok.value(), t));
                                owners.add(state);
                                keys.add(new DedupeKey(ok.value().userId(), ok.value().messageId(), t.deviceId()));
                            } else {
                                state.failures.add(new JobState.Failure(t, DeadLetterReason.CHANNEL_NOT_CONFIGURED,
                                        "no " + t.channel().wireName() + " channel is configured"));
                            }
                        }
                    }
                }
                case Decoded.Invalid<PushJob> bad -> {
                    state = new JobState(partition, in.tracker(), r, null);
                    state.failures.add(new JobState.Failure(null, bad.reason(), bad.detail()));
                }
            }
            states.add(state);
        }
        List<Claim> claims;
        try {
            claims = dedupe.claim(keys, deliveries.stream().map(Delivery::target).toList());
        } catch (DedupeUnavailableException e) {
            redisFailed(batch.size() + " records go back to Kafka", e);
            return false;
        }
        inFlight += states.size();
        for (JobState s : states) {
            s.expect(1); // held until every delivery of the record was handed out
        }
        for (int i = 0; i < claims.size(); i++) {
            owners.get(i).expect(1);
            onClaim(owners.get(i), deliveries.get(i), keys.get(i), claims.get(i));
        }
        for (JobState s : states) {
            if (s.job == null) {
                metrics.record("invalid");
                LOG.warn("record {}@{} dead-lettered: {} ({})", s.partition.topic(), s.partition.partition(),
                        s.offset(), s.failures.getFirst().reason().wireName(), s.failures.getFirst().detail());
            } else if (s.job.isExpired(clock.instant())) {
                metrics.record("expired");
                metrics.dropped("expired");
            } else {
                metrics.record("accepted");
            }
            arrive(s);
        }
        return true;
    }

    private void onClaim(JobState state, Delivery delivery, DedupeKey key, Claim claim) {
        switch (claim) {
            case Claim.Claimed c when sending.containsKey(key) ->
                    // Our own send is still in flight, and its claim had run out before we renewed it
                    // (Redis was away): it is ours again, but one send of it is enough.
                    sending.get(key).add(new Completion.Reclaim(state, delivery, key));
            case Claim.Claimed c -> {
                sending.put(key, new ArrayList<>(0));
                deliveriesInFlight++;
                dispatcher.send(delivery).thenCompose(result -> {
                    if (result.outcome() instanceof SendOutcome.InvalidToken t) {
                        // at once, so no replica sends to the token again
                        dedupe.shield(key.userId(), delivery.target().channel(), delivery.target().token(),
                                t.invalidatedAt());
                    }
                    return dedupe.finishNow(transition(key, delivery, result))
                            .handle((ok, failed) -> new Completion.Sent(state, delivery, key, result, failed == null));
                }).thenAccept(completions::add);
            }
            case Claim.HeldElsewhere held when held.holder().equals(workerId) && sending.containsKey(key) ->
                    // Our own send of the same (message, device) is in flight: decide when it ends.
                    sending.get(key).add(new Completion.Reclaim(state, delivery, key));
            case Claim.AlreadyDone done -> {
                metrics.duplicate();
                LOG.debug("skip {} to {}: already {}", key.messageId(), key.deviceId(), done.state());
                arrive(state);
            }
            case Claim.Shielded shielded -> {
                // its vendor declared the token invalid (to this or another replica) and the device
                // has not registered it again since: no request; the detector removes the device
                metrics.dropped("token-invalid");
                LOG.debug("drop {} to {}: token invalid since {}", key.messageId(), key.deviceId(),
                        shielded.invalidatedAt());
                arrive(state);
            }
            case Claim.HeldElsewhere held -> {
                // Another worker is sending it, or died doing so: not a duplicate yet. Ask again
                // when its lease runs out; the record stays unfinished (and uncommitted) meanwhile.
                scheduler.schedule(() -> completions.add(new Completion.Reclaim(state, delivery, key)),
                        held.remaining().toMillis() + 20, TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Handles everything that came back since the last call: applies dedupe transitions (one
     * round trip), then the actions that depend on them. If Redis fails, the work waits here for
     * the next call; nothing is finished without its transition.
     */
    void drain() {
        for (Completion c; (c = completions.poll()) != null; ) {
            switch (c) {
                case Completion.Sent s when s.marked() -> finished(s);
                case Completion.Sent s -> awaitingTransition.add(s);
                case Completion.Reclaim r -> awaitingReclaim.add(r);
                case Completion.Published p -> published(p);
            }
        }
        if (redisBackingOff()) {
            return;
        }
        if (!renewClaims()) {
            return;
        }
        if (!awaitingTransition.isEmpty()) {
            List<Transition> transitions = new ArrayList<>(awaitingTransition.size());
            for (Completion.Sent s : awaitingTransition) {
                transitions.add(transition(s.key(), s.delivery(), s.result()));
            }
            try {
                dedupe.finish(transitions);
            } catch (DedupeUnavailableException e) {
                redisFailed(transitions.size() + " transitions wait", e);
                return;
            }
            List<Completion.Sent> done = List.copyOf(awaitingTransition);
            awaitingTransition.clear();
            done.forEach(this::finished);
        }
        if (!awaitingReclaim.isEmpty()) {
            List<DedupeKey> keys = awaitingReclaim.stream().map(Completion.Reclaim::key).toList();
            List<Claim> claims;
            try {
                claims = dedupe.claim(keys, awaitingReclaim.stream().map(r -> r.delivery().target()).toList());
            } catch (DedupeUnavailableException e) {
                redisFailed(keys.size() + " re-claims wait", e);
                return;
            }
            List<Completion.Reclaim> batch = List.copyOf(awaitingReclaim);
            awaitingReclaim.clear();
            for (int i = 0; i < batch.size(); i++) {
                onClaim(batch.get(i).job(), batch.get(i).delivery(), batch.get(i).key(), claims.get(i));
            }
        }
    }

    /**
     * Every third of a lease, extends the claims of the sends in flight, so one that waits longer
     * than a lease (a quota queue, in-process retries) keeps its key: without it a rebalance or a
     * redelivered duplicate could claim the key and send again. False when Redis failed.
     */
    private boolean renewClaims() {
        long now = clock.millis();
        if (now < renewAt) {
            return true;
        }
        renewAt = now + Math.max(1, dedupe.lease().toMillis() / 3);
        if (sending.isEmpty()) {
            return true;
        }
        List<DedupeKey> keys = new ArrayList<>(sending.keySet());
        List<Boolean> held;
        try {
            held = dedupe.renew(keys);
        } catch (DedupeUnavailableException e) {
            redisFailed(keys.size() + " claim renewals wait", e);
            return false;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!held.get(i)) {
                metrics.claimLost();
                LOG.warn("claim of {} to {} ran out while its send waited; another worker may send it too",
                        keys.get(i).messageId(), keys.get(i).deviceId());
            }
        }
        return true;
    }

    private static Transition transition(DedupeKey key, Delivery delivery, SendResult result) {
        return switch (result.outcome()) {
            case SendOutcome.Delivered d -> new Transition.MarkSent(key, delivery.expiresAt());
            case SendOutcome.InvalidToken t -> new Transition.MarkDone(key, "invalid-token", delivery.expiresAt());
            case SendOutcome.Retry r -> new Transition.Release(key);
            case SendOutcome.RateLimited r -> new Transition.Release(key);
            case SendOutcome.Held h -> new Transition.Release(key);
            case SendOutcome.AuthExpired a -> new Transition.Release(key);
            case SendOutcome.Rejected r -> new Transition.Release(key);
        };
    }

    /** The delivery's transition is applied: act on its outcome and settle the duplicates that waited. */
    private void finished(Completion.Sent s) {
        deliveriesInFlight--;
        afterTransition(s);
        List<Completion.Reclaim> waiting = sending.remove(s.key());
        if (waiting == null || waiting.isEmpty()) {
            return;
        }
        if (transition(s.key(), s.delivery(), s.result()) instanceof Transition.Release) {
            awaitingReclaim.addAll(waiting); // it was not sent: the next one may try
        } else {
            waiting.forEach(w -> {
                metrics.duplicate();
                arrive(w.job());
            });
        }
    }

    private void afterTransition(Completion.Sent s) {
        JobState state = s.job();
        PushTarget target = s.delivery().target();
        SendResult result = s.result();
        switch (result.outcome()) {
            case SendOutcome.Delivered d -> { }
            case SendOutcome.InvalidToken t -> {
                LOG.info("invalid token {} of device {} on {}: {}", Tokens.mask(target.token()), target.deviceId(),
                        target.channel().wireName(), t.reason());
                publishFeedback(state, InvalidTokenFeedback.of(state.job.userId(), target.deviceId(), target.channel(),
                        target.token(), t.invalidatedAt(), t.reason()));
            }
            case SendOutcome.Retry r -> fail(state, target, DeadLetterReason.RETRIES_EXHAUSTED, r.reason(), result,
                    clock.instant().plus(r.after()));
            case SendOutcome.RateLimited r -> fail(state, target, DeadLetterReason.RATE_LIMITED,
                    r.reason() + " (until " + r.until() + ")", result, r.until());
            case SendOutcome.Held h -> state.failures.add(new JobState.Failure(target, DeadLetterReason.RATE_LIMITED,
                    h.reason() + " (until " + h.until() + ")", result.attempts(), h.until(), h.cause()));
            case SendOutcome.AuthExpired a -> fail(state, target, DeadLetterReason.REJECTED,
                    "credentials refused after refresh: " + a.reason(), result, clock.instant());
            case SendOutcome.Rejected r -> fail(state, target, DeadLetterReason.REJECTED, r.reason(), result, null);
        }
        arrive(state);
    }

    private static void fail(JobState state, PushTarget target, DeadLetterReason reason, String detail, SendResult r,
                             Instant retryAt) {
        state.failures.add(new JobState.Failure(target, reason, detail, r.attempts(), retryAt, null));
    }

    private void publishFeedback(JobState state, InvalidTokenFeedback feedback) {
        publish(state, Publication.of("feedback", done -> publisher.feedback(feedback, done)));
    }

    /**
     * Publishes something {@code state} must wait for: the record finishes only after the broker
     * acknowledged it (see {@link #published}).
     */
    private void publish(JobState state, Publication publication) {
        state.expect(1);
        attempt(state, publication, 0);
    }

    private void attempt(JobState state, Publication publication, int failures) {
        publication.send().accept(e -> completions.add(new Completion.Published(state, publication, failures, e)));
    }

    /**
     * A publication came back. Acknowledged: one piece of its record is done. Refused for what the
     * record is (too large): its fallback goes instead, or, with none left, the record is finished
     * with the loss logged and counted, never retried in a loop. Any other failure (broker away, a
     * topic not there): tried again after a doubling backoff, off this thread; meanwhile the record
     * stays unfinished and uncommitted, and readiness turns false once publications have failed for
     * long (see {@link #publishFailingFor}).
     */
    private void published(Completion.Published p) {
        if (p.error() == null) {
            if (p.failures() > 0 && --publishesFailing == 0) {
                publishFailingSince = 0;
            }
            arrive(p.job());
            return;
        }
        Publication publication = p.publication();
        if (PublishErrors.refusesTheRecord(p.error())) {
            Publication instead = publication.fallback().get();
            if (p.failures() > 0 && --publishesFailing == 0) {
                publishFailingSince = 0;
            }
            if (instead != null) {
                LOG.warn("{} of record {}@{} refused ({}); publishing a {} instead", publication.what(),
                        p.job().partition, p.job().offset(), p.error().toString(), instead.what());
                attempt(p.job(), instead, 0);
            } else {
                LOG.error("{} of record {}@{} refused and nothing smaller can stand in: given up ({})",
                        publication.what(), p.job().partition, p.job().offset(), p.error().toString());
                metrics.publicationLost(publication.what());
                arrive(p.job());
            }
            return;
        }
        if (p.failures() == 0 && publishesFailing++ == 0) {
            publishFailingSince = clock.millis();
        }
        long delay = Math.min(PUBLISH_BACKOFF_MAX_MS, PUBLISH_BACKOFF_MIN_MS << Math.min(p.failures(), 16));
        delay = delay / 2 + java.util.concurrent.ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        metrics.publicationRetried(publication.what());
        LOG.warn("{} of record {}@{} failed (try {}), trying again in {} ms: {}", publication.what(),
                p.job().partition, p.job().offset(), p.failures() + 1, delay, p.error().toString());
        try {
            scheduler.schedule(() -> attempt(p.job(), publication, p.failures() + 1), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            LOG.warn("not retrying the {}: shutting down (the record stays uncommitted)", publication.what());
        }
    }

    /** One outstanding piece of {@code state} is done; finishes the record when it was the last. */
    private void arrive(JobState state) {
        if (!state.arrive()) {
            return;
        }
        if (state.needsSettlement() && settle(state)) {
            return;
        }
        inFlight--;
        onFinished.accept(state);
    }

    /**
     * Devices of the job failed: each goes where {@link RetryRouter} says (a retry tier, its channel's
     * parking topic, or the dead-letter topic) or is dropped as expired. False when nothing was
     * published (all dropped).
     */
    private boolean settle(JobState state) {
        RetryRouter.Decision d = router.route(state.job, state.attempt, state.held, state.failures, clock.instant(),
                dispatcher::healthy);
        for (int i = 0; i < d.expired(); i++) {
            metrics.dropped("expired");
        }
        for (RetryRouter.Route r : d.routes()) {
            if (r.waitsFor() != null) {
                metrics.parked(r.channel(), r.waitsFor(), r.failures().size());
            }
            publishRetry(state, r);
        }
        if (!d.dead().isEmpty()) {
            publishDeadLetter(state, d.dead());
        }
        return !d.routes().isEmpty() || !d.dead().isEmpty();
    }

    private void publishRetry(JobState state, RetryRouter.Route route) {
        List<JobState.Failure> failures = route.failures();
        String topic = route.topic();
        PushJob job = state.job.withTargets(failures.stream().map(JobState.Failure::target).toList());
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders();
        JobHeaders.set(headers, JobHeaders.ATTEMPT, Integer.toString(route.attempt()));
        if (route.untilRecovery()) {
            JobHeaders.set(headers, JobHeaders.RELEASE_ON, JobHeaders.RELEASE_ON_RECOVERY);
        }
        if (route.held() > 0) {
            JobHeaders.set(headers, JobHeaders.HELD, Integer.toString(route.held()));
        }
        JobHeaders.set(headers, JobHeaders.ORIGIN, JobHeaders.Origin.RETRY.name());
        JobHeaders.set(headers, JobHeaders.DUE_AT, Long.toString(route.due().toEpochMilli()));
        String firstFailure = JobHeaders.string(state.record.headers(), JobHeaders.FIRST_FAILURE);
        JobHeaders.set(headers, JobHeaders.FIRST_FAILURE, firstFailure != null ? firstFailure : failures.getFirst().detail());
        JobHeaders.setAttempts(headers, attempts(state, failures));
        metrics.retried(topic, failures.size());
        publish(state, new Publication("retry", done -> publisher.retry(topic, state.record.key(), job, headers, done),
                () -> deadLetter(state, failures)));
    }

    /** The attempts so far, the most recent {@link #MAX_ATTEMPTS_KEPT}: the history must not outgrow a record. */
    private static List<Attempt> attempts(JobState state, List<JobState.Failure> failures) {
        List<Attempt> all = new ArrayList<>(state.history);
        failures.forEach(f -> all.addAll(f.attempts()));
        return all.size() <= MAX_ATTEMPTS_KEPT ? all : List.copyOf(all.subList(all.size() - MAX_ATTEMPTS_KEPT, all.size()));
    }

    private void publishDeadLetter(JobState state, List<JobState.Failure> failures) {
        for (JobState.Failure f : failures) {
            metrics.deadLettered(f.reason());
        }
        publish(state, deadLetter(state, failures));
    }

    /**
     * The dead letter for {@code failures}: with the job narrowed to the failed devices (replayable),
     * or the raw bytes of an unreadable record; when the broker refuses a letter that large, one
     * that points at the record (its topic, partition and offset) with its first bytes.
     */
    private Publication deadLetter(JobState state, List<JobState.Failure> failures) {
        JobState.Failure first = failures.getFirst();
        var r = state.record;
        var source = new DeadLetter.Source(r.topic(), r.partition(), r.offset(),
                r.key() == null ? null : new String(r.key(), java.nio.charset.StandardCharsets.UTF_8));
        Publication pointer = rawLetter(r.key(), first, source, r.value(), POINTER_RAW_BYTES, () -> null);
        if (state.job == null) {
            return rawLetter(r.key(), first, source, r.value(), MAX_RAW_BYTES, () -> pointer);
        }
        List<PushTarget> failed = failures.stream().map(JobState.Failure::target).toList();
        String detail = cut(failures.stream()
                .map(f -> f.target().deviceId() + ": " + f.reason().wireName() + " (" + f.detail() + ")")
                .reduce((a, b) -> a + "; " + b).orElse(first.detail()));
        DeadLetter letter = DeadLetter.ofJob(first.reason(), detail, source, state.job.withTargets(failed),
                attempts(state, failures), workerId, clock.instant());
        return new Publication("dead-letter", done -> publisher.deadLetter(r.key(), letter, done), () -> pointer);
    }

    private Publication rawLetter(byte[] key, JobState.Failure first, DeadLetter.Source source, byte[] raw, int keep,
                                  java.util.function.Supplier<Publication> fallback) {
        DeadLetter letter = DeadLetter.ofRaw(first.reason(), cut(first.detail()), source, raw, keep, workerId,
                clock.instant());
        return new Publication("dead-letter", done -> publisher.deadLetter(key, letter, done), fallback);
    }

    private static String cut(String detail) {
        return detail == null || detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS) + "…";
    }
}
