package dev.impush.worker.channel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SendGateTest {
    @Test
    void send_whileOpen_runs_afterClose_failsWithoutRunning() throws Exception {
        SendGate gate = new SendGate("Acme", VendorHttp.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1), Integer.MAX_VALUE));
        AtomicInteger runs = new AtomicInteger();
        assertEquals("sent", gate.send(() -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("sent");
        }).get());

        gate.close();
        gate.close(); // idempotent
        CompletableFuture<String> refused = gate.send(() -> {
            runs.incrementAndGet();
            return CompletableFuture.completedFuture("sent");
        });

        ExecutionException e = assertThrows(ExecutionException.class, refused::get);
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("Acme channel is closed", e.getCause().getMessage());
        assertEquals(1, runs.get());
    }
}
