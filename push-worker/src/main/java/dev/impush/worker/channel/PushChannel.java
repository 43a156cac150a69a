package dev.impush.worker.channel;

import dev.impush.model.Channel;
import java.util.concurrent.CompletableFuture;

/**
 * A vendor's push service. Implementations build the vendor payload, call the vendor's client and
 * map its answer to a {@link SendOutcome}; routing, retries, breakers and metrics live above them.
 *
 * <p>Thread-safe: {@link #send} is called from many threads at once and must not block. A future
 * completed exceptionally (IO failure, timeout) is treated as {@link SendOutcome.Retry} by the caller.
 * {@link #close()} releases the client and waits until it is released.
 */
public interface PushChannel extends AutoCloseable {

    Channel channel();

    CompletableFuture<SendOutcome> send(Delivery delivery);

    @Override
    void close();
}
