package dev.impush.worker.pipeline;

import dev.impush.model.Lane;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.broadcast.BroadcastTally;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.dedupe.Recalled;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.retry.Failure;
import dev.impush.worker.tracing.DeliveryTracing;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A polled batch decoded and fanned out: a {@link JobState} per record and a {@link Send} per device
 * to claim. An unreadable record, and a device whose channel is not configured, are failures from
 * the start; an expired job sends nothing.
 */
record Fanout(List<JobState> jobs, List<Send> sends) {
    private static final Logger LOG = LoggerFactory.getLogger(JobPipeline.class);
    /** A push cancelled by its message's recall before it went out. */
    static final String RECALLED = "recalled";
    /** A recall's device that the recalled message's push never reached: nothing to replace. */
    static final String RECALL_UNSENT = "recall-unsent";

    /**
     * @param missing why no channel is configured for a device (empty when one is)
     * @param laneOf  the lane of a record's topic
     */
    static Fanout of(List<Incoming> batch, ContractCodec<PushJob> codec, Function<PushTarget, Optional<String>> missing,
                     Function<String, Lane> laneOf, Instant now) {
        List<JobState> jobs = new ArrayList<>(batch.size());
        List<Send> sends = new ArrayList<>(batch.size());
        for (Incoming in : batch) {
            JobState state;
            switch (codec.decode(in.record().value())) {
                case Decoded.Ok<PushJob> ok -> {
                    PushJob job = ok.value();
                    state = new JobState(in, job);
                    if (!job.isExpired(now)) {
                        Lane lane = laneOf.apply(in.record().topic());
                        Context trace = DeliveryTracing.extract(in.record().headers());
                        for (PushTarget t : job.targets()) {
                            Optional<String> unrouted = missing.apply(t);
                            if (unrouted.isEmpty()) {
                                sends.add(new Send(state, new Delivery(job, t, lane, trace), DedupeKey.of(job, t.deviceId()),
                                        job.recall() == null ? null : DedupeKey.of(job.userId(),
                                                job.recall().messageId(), t.deviceId(), job.recall().expiresAt())));
                            } else {
                                state.failures.add(Failure.permanent(t, DeadLetterReason.CHANNEL_NOT_CONFIGURED,
                                        unrouted.get()));
                            }
                        }
                    }
                }
                case Decoded.Invalid<PushJob> bad -> {
                    state = new JobState(in, null);
                    state.failures.add(Failure.permanent(null, bad.reason(), bad.detail()));
                }
            }
            jobs.add(state);
        }
        return new Fanout(jobs, sends);
    }

    /** Counts each record by what it is (accepted, expired, invalid); logs an invalid one. */
    void count(WorkerMetrics metrics, BroadcastTally tally, Instant now) {
        for (JobState s : jobs) {
            if (s.job == null) {
                metrics.record("invalid");
                LOG.warn("record {} dead-lettered: {} ({})", s, s.failures.getFirst().reason().wireName(),
                        s.failures.getFirst().detail());
            } else if (s.job.isExpired(now)) {
                metrics.record("expired");
                metrics.dropped("expired");
                tally.count(s.job, BroadcastTally.Outcome.DROPPED, s.job.targets().size());
            } else {
                metrics.record("accepted");
            }
        }
    }

    /** The sends of recall jobs, which are claimed only where the recalled message's push was sent. */
    List<Send> recalling() {
        return sends.stream().filter(s -> s.recalled() != null).toList();
    }

    /** The sends to claim: all but those of recall jobs, then those of {@code recalling} whose finding is {@code WasSent}. */
    List<Send> toClaim(List<Send> recalling, List<Recalled> found) {
        List<Send> out = new ArrayList<>(sends.size());
        sends.stream().filter(s -> s.recalled() == null).forEach(out::add);
        for (int i = 0; i < recalling.size(); i++) {
            if (found.get(i) instanceof Recalled.WasSent) {
                out.add(recalling.get(i));
            }
        }
        return out;
    }

    /**
     * Books the recall's deliveries whose recalled push was not sent (those that were are claimed and
     * sent): nothing to replace; or the push is being sent now: the recall goes to the first retry tier,
     * by when that send has settled (a send takes far less than a tier's delay).
     */
    static void recalled(List<Send> recalling, List<Recalled> found, WorkerMetrics metrics, Instant now) {
        for (int i = 0; i < recalling.size(); i++) {
            Send s = recalling.get(i);
            switch (found.get(i)) {
                case Recalled.WasSent sent -> { } // claimed with the other sends
                case Recalled.Cancelled cancelled -> metrics.dropped(RECALLED);
                case Recalled.NeverSent never -> metrics.dropped(RECALL_UNSENT);
                case Recalled.Sending sending -> s.job().failures.add(new Failure(s.delivery().target(),
                        DeadLetterReason.RETRIES_EXHAUSTED, "the recalled message's push is being sent by "
                        + sending.holder(), List.of(), now, null));
            }
        }
    }
}
