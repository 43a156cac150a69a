package dev.impush.replay;

import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.dedupe.DedupeMark;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what a run does with each dead letter. The only thing {@code --execute} adds is the send
 * and the ledger write, so a dry run names exactly the letters the execute would replay.
 */
final class LetterSelector {
    private final DeadLetterFilter filter;
    private final boolean includeExpired;
    private final Instant now;
    private final ReplayLedger ledger;
    private final DeliveryMarks marks;

    LetterSelector(DeadLetterFilter filter, boolean includeExpired, Instant now, ReplayLedger ledger,
                   DeliveryMarks marks) {
        this.filter = filter;
        this.includeExpired = includeExpired;
        this.now = now;
        this.ledger = ledger;
        this.marks = marks;
    }

    /** @param letter the decoded letter, {@code null} when unreadable */
    ReplayDecision decide(ReplayLedger.LetterId id, DeadLetter letter) {
        if (letter == null) {
            return new ReplayDecision.Skip("unreadable dead letter");
        }
        if (!filter.test(letter)) {
            return new ReplayDecision.Skip("not matching the filter");
        }
        PushJob job = letter.job();
        if (job == null) {
            return new ReplayDecision.Skip("no job to replay (" + letter.reason().wireName() + " input)");
        }
        if (ledger.replayed(id)) {
            return new ReplayDecision.Skip("already replayed (ledger " + ledger.name() + ")");
        }
        if (job.isExpired(now) && !includeExpired) {
            return new ReplayDecision.Skip("expired (use --include-expired)");
        }
        List<PushTarget> pending = notDelivered(job);
        if (pending.isEmpty()) {
            return new ReplayDecision.Skip("already delivered");
        }
        return new ReplayDecision.Replay(job.withTargets(pending));
    }

    private List<PushTarget> notDelivered(PushJob job) {
        List<DedupeKey> keys = job.targets().stream()
                .map(t -> DedupeKey.of(job, t.deviceId())).toList();
        try {
            List<DedupeMark> states = marks.read(keys);
            List<PushTarget> pending = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (!states.get(i).settled()) {
                    pending.add(job.targets().get(i));
                }
            }
            return pending;
        } catch (DeliveryMarks.Unavailable e) {
            // Without Redis the worker's dedupe still guards the device; replay them all.
            return job.targets();
        }
    }
}
