package dev.impush.runtime;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operations endpoint of a service: {@code /health/live} (the process runs),
 * {@code /health/ready} (it is doing its job: assigned, connected) and {@code /metrics}
 * (Prometheus text). Port 0 binds an ephemeral port; {@link #port()} tells which.
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServer server;

    private OpsServer(HttpServer server) {
        this.server = server;
    }

    public static OpsServer start(int port, PrometheusMeterRegistry registry, BooleanSupplier ready)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/health/live", ex -> PlainText.reply(ex, 200, "ok\n"));
        server.createContext("/health/ready", ex -> {
            boolean ok = ready.getAsBoolean();
            PlainText.reply(ex, ok ? 200 : 503, ok ? "ready\n" : "not ready\n");
        });
        server.createContext("/metrics", ex -> PlainText.reply(ex, 200, registry.scrape()));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return new OpsServer(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
