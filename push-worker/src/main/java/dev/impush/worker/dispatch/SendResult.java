package dev.impush.worker.dispatch;

import dev.impush.model.deadletter.Attempt;
import dev.impush.worker.channel.SendOutcome;
import java.util.List;

/** The final outcome of one delivery after retries, with every attempt that did not deliver, oldest first. */
public record SendResult(SendOutcome outcome, List<Attempt> attempts) {
    public SendResult {
        attempts = List.copyOf(attempts);
    }
}
