package dev.impush.worker.channel.http;

import java.util.concurrent.CompletionException;

/** Small helpers for the futures the vendor channels compose. */
public final class Futures {
    private Futures() {}

    /** The failure a stage saw: the cause of a {@link CompletionException}, else {@code e} itself. */
    public static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
