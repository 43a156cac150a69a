package dev.impush.worker.pipeline;

import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.dedupe.Dedupe;
import dev.impush.worker.dedupe.Transition;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * The dedupe transitions of the sends the vendors answered: all those of a poll-loop pass go to
 * Redis together, their confirmation comes back as one {@link Event.Marked}; after a Redis failure
 * they wait here for the next try. The token shield goes up as soon as an answer says a token is
 * invalid. Poll thread only.
 */
final class Marks {
    private final Dedupe dedupe;
    private final Queue<Event> inbox;
    private final SendsInFlight sending;
    private final List<Event.Answered> pending = new ArrayList<>();

    Marks(Dedupe dedupe, Queue<Event> inbox, SendsInFlight sending) {
        this.dedupe = dedupe;
        this.inbox = inbox;
        this.sending = sending;
    }

    void answered(Event.Answered a) {
        PushTarget t = a.send().delivery().target();
        if (a.result().outcome() instanceof SendOutcome.InvalidToken invalid) {
            dedupe.shield(a.send().key().userId(), t.channel(), t.token(), invalid.invalidatedAt()); // for every replica
        }
        sending.answered(a.send().key());
        pending.add(a);
    }

    /** Redis did not confirm them: they go again with the next pass after the backoff. */
    void unconfirmed(List<Event.Answered> answers) {
        pending.addAll(answers);
    }

    /** Sends the pending transitions, one round trip. */
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<Event.Answered> batch = List.copyOf(pending);
        pending.clear();
        dedupe.apply(batch.stream().map(a -> Transition.of(a.send().key(), a.result().outcome())).toList())
                .whenComplete((ok, error) -> inbox.add(new Event.Marked(batch, error)));
    }
}
