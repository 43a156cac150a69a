package dev.impush.worker.channel.http;

import dev.impush.worker.channel.SendOutcome;
import java.util.concurrent.CompletionException;

/**
 * A vendor refused the auth call of a signed-auth channel (vivo, OPPO); {@link #outcome} is what
 * the send that needed the token reports. Thrown inside a token fetch, turned back into that
 * outcome by {@link #outcomeOf} in {@code exceptionally}.
 */
public final class AuthCallRefused extends RuntimeException {
    public final transient SendOutcome outcome;

    public AuthCallRefused(SendOutcome outcome) {
        super(outcome.toString(), null, false, false);
        this.outcome = outcome;
    }

    /**
     * For {@code exceptionally}: an {@link AuthCallRefused} failure becomes its outcome; any other
     * failure is rethrown (as a {@link CompletionException}) so it stays a failure (= retry).
     */
    public static SendOutcome outcomeOf(Throwable e) {
        if (Futures.unwrap(e) instanceof AuthCallRefused refused) {
            return refused.outcome;
        }
        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
    }
}
