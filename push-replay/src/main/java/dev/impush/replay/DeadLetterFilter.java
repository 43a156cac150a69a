package dev.impush.replay;

import dev.impush.model.Channel;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import java.time.Instant;

/**
 * Which dead letters an operator means: each criterion absent = any.
 *
 * @param since   dead-lettered at or after
 * @param until   dead-lettered before
 * @param channel one of the job's devices is on this channel
 * @param reason  the dead-letter reason
 * @param user    the job's recipient
 */
public record DeadLetterFilter(Instant since, Instant until, Channel channel, DeadLetterReason reason, String user) {

    public boolean test(DeadLetter letter) {
        if (since != null && letter.at().isBefore(since)) {
            return false;
        }
        if (until != null && !letter.at().isBefore(until)) {
            return false;
        }
        if (reason != null && letter.reason() != reason) {
            return false;
        }
        if (user != null && (letter.job() == null || !user.equals(letter.job().userId()))) {
            return false;
        }
        return channel == null || (letter.job() != null
                && letter.job().targets().stream().anyMatch(t -> t.channel() == channel));
    }
}
