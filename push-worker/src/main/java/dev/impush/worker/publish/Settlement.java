package dev.impush.worker.publish;

import dev.impush.model.Lane;
import dev.impush.model.Tokens;
import dev.impush.model.deadletter.Attempt;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.feedback.InvalidTokenFeedback;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.broadcast.BroadcastTally;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.dispatch.SendResult;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.retry.Failure;
import dev.impush.worker.retry.Lanes;
import dev.impush.worker.retry.RetryRouter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a record publishes about its devices: feedback for an invalid token, and for the devices
 * that failed what {@link RetryRouter} decides: a retry-tier or parking record, or a dead letter.
 * Builds {@link Publication}s, each with what goes instead if the broker refuses it for its size;
 * sending and re-trying them is the caller's.
 */
public final class Settlement {
    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);
    /** A retry record or dead letter carries at most this many attempts (the most recent). */
    static final int MAX_ATTEMPTS_KEPT = 50;
    /** Dead letters keep at most this much of an unreadable record. */
    private static final int MAX_RAW_BYTES = 64 * 1024;
    /** What a letter keeps of the record when the broker refused a larger one: enough to recognise it. */
    private static final int POINTER_RAW_BYTES = 4 * 1024;
    /** Longest dead-letter detail kept (it lists a reason per failed device). */
    private static final int MAX_DETAIL_CHARS = 4096;

    private final Lanes lanes;
    private final Map<Lane, RetryRouter> routers = new EnumMap<>(Lane.class);
    private final Publisher publisher;
    private final WorkerMetrics metrics;
    private final BroadcastTally tally;
    private final Clock clock;
    private final String workerId;

    /** @param jitter turns a tier's delay (ms) into the delay of one record */
    public Settlement(Lanes lanes, LongUnaryOperator jitter, Publisher publisher, WorkerMetrics metrics,
                      BroadcastTally tally, Clock clock, String workerId) {
        this.lanes = lanes;
        for (Lane lane : Lane.values()) {
            routers.put(lane, new RetryRouter(lanes.tiers(lane), jitter));
        }
        this.publisher = publisher;
        this.metrics = metrics;
        this.tally = tally;
        this.clock = clock;
        this.workerId = workerId;
    }

    /**
     * Books a device's answer: counts it for its broadcast, keeps it among {@code failures} when it
     * failed (for {@link #settle}), and for an invalid token returns the feedback to publish.
     */
    public Optional<Publication> answered(PushJob job, List<Failure> failures, PushTarget target, SendResult result) {
        Failure.of(target, result, clock.instant()).ifPresent(failures::add);
        switch (result.outcome()) {
            case SendOutcome.Delivered d -> tally.count(job, BroadcastTally.Outcome.DELIVERED, 1);
            case SendOutcome.InvalidToken t -> {
                tally.count(job, BroadcastTally.Outcome.DROPPED, 1);
                LOG.info("invalid token {} of device {} on {}: {}", Tokens.mask(target.token()), target.deviceId(),
                        target.channel().wireName(), t.reason());
                InvalidTokenFeedback feedback = InvalidTokenFeedback.of(job.userId(), target.deviceId(),
                        target.channel(), target.token(), t.invalidatedAt(), t.reason());
                return Optional.of(Publication.of("feedback", done -> publisher.feedback(feedback, done)));
            }
            case SendOutcome.Retry r -> { } // failures, settled with the record
            case SendOutcome.RateLimited r -> { }
            case SendOutcome.Held h -> { }
            case SendOutcome.AuthExpired a -> { }
            case SendOutcome.Rejected r -> { }
        }
        return Optional.empty();
    }

    /**
     * Where the failed devices of {@code record} go, in its lane; empty when none goes anywhere (all
     * dropped as expired).
     *
     * @param job     the record's job, {@code null} when it was unreadable
     * @param healthy whether the breaker of a device's channel is closed
     */
    public List<Publication> settle(ConsumerRecord<byte[], byte[]> record, PushJob job, List<Failure> failures,
                                    Predicate<PushTarget> healthy) {
        List<Attempt> history = JobHeaders.attempts(record.headers());
        RetryRouter.Decision d = routers.get(lanes.laneOf(record.topic())).route(job, JobHeaders.attempt(record.headers()),
                JobHeaders.held(record.headers()), failures, clock.instant(), healthy);
        for (int i = 0; i < d.expired(); i++) {
            metrics.dropped("expired");
        }
        tally.count(job, BroadcastTally.Outcome.DROPPED, d.expired());
        List<Publication> out = new ArrayList<>(d.routes().size() + 1);
        for (RetryRouter.Route r : d.routes()) {
            if (r.waitsFor() != null) {
                metrics.parked(r.channel(), r.waitsFor(), r.failures().size());
            }
            metrics.retried(r.topic(), r.failures().size());
            out.add(retry(record, job, history, r));
        }
        if (!d.dead().isEmpty()) {
            d.dead().forEach(f -> metrics.deadLettered(f.reason()));
            tally.count(job, BroadcastTally.Outcome.FAILED, d.dead().size());
            out.add(deadLetter(record, job, history, d.dead()));
        }
        return out;
    }

    private Publication retry(ConsumerRecord<byte[], byte[]> record, PushJob job, List<Attempt> history,
                              RetryRouter.Route route) {
        String first = JobHeaders.string(record.headers(), JobHeaders.FIRST_FAILURE);
        RetryRecord retry = new RetryRecord(route.topic(), record.key(), job.withTargets(targets(route.failures())),
                route.attempt(), route.due(), route.untilRecovery(), route.held(),
                first != null ? first : route.failures().getFirst().detail(), attempts(history, route.failures()),
                record.headers());
        return new Publication("retry", done -> publisher.retry(retry, done),
                () -> deadLetter(record, job, history, route.failures()));
    }

    /**
     * The dead letter for {@code failures}: with the job narrowed to the failed devices (replayable),
     * or the raw bytes of an unreadable record; when the broker refuses a letter that large, one
     * that points at the record (its topic, partition and offset) with its first bytes.
     */
    private Publication deadLetter(ConsumerRecord<byte[], byte[]> r, PushJob job, List<Attempt> history,
                                   List<Failure> failures) {
        Failure first = failures.getFirst();
        var source = new DeadLetter.Source(r.topic(), r.partition(), r.offset(),
                r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
        Supplier<Publication> pointer = () -> letter(r.key(), DeadLetter.ofRaw(first.reason(), cut(first.detail()),
                source, r.value(), POINTER_RAW_BYTES, workerId, clock.instant()), () -> null);
        if (job == null) {
            return letter(r.key(), DeadLetter.ofRaw(first.reason(), cut(first.detail()), source, r.value(),
                    MAX_RAW_BYTES, workerId, clock.instant()), pointer);
        }
        String detail = cut(failures.stream()
                .map(f -> f.target().deviceId() + ": " + f.reason().wireName() + " (" + f.detail() + ")")
                .collect(Collectors.joining("; ")));
        return letter(r.key(), DeadLetter.ofJob(first.reason(), detail, source, job.withTargets(targets(failures)),
                attempts(history, failures), workerId, clock.instant()), pointer);
    }

    private Publication letter(byte[] key, DeadLetter letter, Supplier<Publication> fallback) {
        return new Publication("dead-letter", done -> publisher.deadLetter(key, letter, done), fallback);
    }

    private static List<PushTarget> targets(List<Failure> failures) {
        return failures.stream().map(Failure::target).toList();
    }

    /** The attempts so far, the most recent {@link #MAX_ATTEMPTS_KEPT}: the history must not outgrow a record. */
    static List<Attempt> attempts(List<Attempt> history, List<Failure> failures) {
        List<Attempt> all = new ArrayList<>(history);
        failures.forEach(f -> all.addAll(f.attempts()));
        return all.size() <= MAX_ATTEMPTS_KEPT ? all : List.copyOf(all.subList(all.size() - MAX_ATTEMPTS_KEPT, all.size()));
    }

    private static String cut(String detail) {
        return detail == null || detail.length() <= MAX_DETAIL_CHARS ? detail : detail.substring(0, MAX_DETAIL_CHARS) + "…";
    }
}
