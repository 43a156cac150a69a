package dev.impush.worker.channel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.worker.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Tokens are renewed before they are dropped, so no send waits for a fetch at the expiry. */
class AuthTokenCacheTest {
    private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(5);
        }
    }

    @Test
    void aTokenCloseToBeingDropped_isStillUsed_whileItsReplacementIsFetched() throws Exception {
        TestClock clock = new TestClock(T0);
        List<CompletableFuture<AuthToken>> fetches = new CopyOnWriteArrayList<>();
        AuthTokenCache cache = new AuthTokenCache(app -> {
            CompletableFuture<AuthToken> f = new CompletableFuture<>();
            fetches.add(f);
            return f;
        }, Duration.ofMinutes(5), clock);

        CompletableFuture<AuthToken> first = cache.token("app");
        fetches.getFirst().complete(new AuthToken("t1", T0.plus(Duration.ofMinutes(60))));
        assertEquals("t1", first.join().value());

        clock.set(T0.plus(Duration.ofMinutes(50)));
        assertEquals("t1", cache.token("app").join().value(), "far from its end: no fetch");
        assertEquals(1, fetches.size());

        clock.set(T0.plus(Duration.ofSeconds(54 * 60 + 30))); // 30 s before it is dropped (5 min before expiry)
        CompletableFuture<AuthToken> during = cache.token("app");
        assertTrue(during.isDone(), "the send does not wait for the fetch");
        assertEquals("t1", during.join().value());
        await(() -> fetches.size() == 2);
        cache.token("app").join();
        cache.token("app").join();
        assertEquals(2, fetches.size(), "one fetch in flight, however many sends");

        fetches.get(1).complete(new AuthToken("t2", T0.plus(Duration.ofMinutes(120))));
        await(() -> "t2".equals(cache.token("app").join().value()));
        clock.set(T0.plus(Duration.ofMinutes(100)));
        assertEquals("t2", cache.token("app").join().value(), "the new token lives its own lifetime");
        assertEquals(2, fetches.size());
    }
}
