package dev.impush.worker.pipeline;

import dev.impush.worker.dedupe.Claim;
import dev.impush.worker.dedupe.Dedupe;
import dev.impush.worker.dedupe.DedupeUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Sends to claim again: one whose key another worker holds (asked again when its lease has run
 * out), and duplicates whose send in flight released the key without sending. Poll thread only.
 */
final class Reclaims {
    /** Past a lease's end, so the holder's expiry has surely reached Redis. */
    private static final long MARGIN_MS = 20;

    private final List<Send> due = new ArrayList<>();
    private final Timers timers;
    private final Clock clock;

    Reclaims(Timers timers, Clock clock) {
        this.timers = timers;
        this.clock = clock;
    }

    /** Claims every send in one round trip: the claims in their order. */
    static List<Claim> claim(Dedupe dedupe, List<Send> sends) throws DedupeUnavailableException {
        return dedupe.claim(sends.stream().map(Send::key).toList(),
                sends.stream().map(s -> s.delivery().target()).toList());
    }

    /** {@code s} is claimed again when {@code lease} (its holder's, left) has run out. */
    void after(Duration lease, Send s) {
        timers.at(clock.millis() + lease.toMillis() + MARGIN_MS, () -> due.add(s));
    }

    /** {@code sends} are claimed again at the next {@link #claim}. */
    void now(Collection<Send> sends) {
        due.addAll(sends);
    }

    boolean waiting() {
        return !due.isEmpty();
    }

    int size() {
        return due.size();
    }

    /** Claims the due sends again and hands each its claim; when Redis fails they stay due. */
    void claim(Dedupe dedupe, BiConsumer<Send, Claim> claimed) throws DedupeUnavailableException {
        if (due.isEmpty()) {
            return;
        }
        List<Send> batch = List.copyOf(due);
        List<Claim> claims = claim(dedupe, batch);
        due.clear();
        for (int i = 0; i < batch.size(); i++) {
            claimed.accept(batch.get(i), claims.get(i));
        }
    }
}
