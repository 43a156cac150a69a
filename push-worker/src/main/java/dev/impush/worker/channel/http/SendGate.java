package dev.impush.worker.channel.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The open/closed lifecycle of a vendor channel that owns a {@link VendorHttp}.
 *
 * <p>Contract: while open, {@link #send} runs the given send and returns its future. After
 * {@link #close()} it runs nothing and returns a future failed with
 * {@code IllegalStateException("<name> channel is closed")}. {@link #close()} is idempotent: the
 * first call refuses new sends, then closes the HTTP client, which waits for the requests in flight
 * to finish. Thread-safe.
 */
public final class SendGate implements AutoCloseable {
    private final String name;
    private final VendorHttp http;
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param name how the channel is named in the "closed" failure, e.g. {@code "Huawei"} */
    public SendGate(String name, VendorHttp http) {
        this.name = name;
        this.http = http;
    }

    /** {@code send.get()} while open; a failed future once closed. */
    public <T> CompletableFuture<T> send(Supplier<CompletableFuture<T>> send) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException(name + " channel is closed"));
        }
        return send.get();
    }

    /** Refuses new sends and waits for the HTTP client to finish the requests in flight. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            http.close(); // HttpClient.close() waits for the requests in flight
        }
    }
}
