package dev.impush.worker.channel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Lane;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {

    @Test
    void callsBeyondTheLimit_waitInOrderAndStartAsEarlierOnesComplete() throws Exception {
        InFlightLimit limit = new InFlightLimit(2, Runnable::run);
        List<CompletableFuture<Integer>> started = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(limit.run(() -> {
                CompletableFuture<Integer> call = new CompletableFuture<>();
                started.add(call);
                return call;
            }));
        }
        assertEquals(2, started.size());

        started.get(1).complete(1);
        assertEquals(3, started.size());
        assertEquals(1, results.get(1).get(1, TimeUnit.SECONDS));

        started.get(0).completeExceptionally(new IllegalStateException("boom"));
        started.get(2).complete(2);
        assertEquals(5, started.size());
        assertTrue(results.get(0).isCompletedExceptionally());
        assertEquals(2, results.get(2).join());
        assertTrue(results.stream().skip(3).noneMatch(CompletableFuture::isDone));
    }

    @Test
    void aCallThatThrows_failsItsResultAndFreesItsPlace() {
        InFlightLimit limit = new InFlightLimit(1, Runnable::run);

        CompletableFuture<Integer> thrown = limit.run(() -> {
            throw new IllegalArgumentException("cannot start");
        });
        CompletableFuture<Integer> next = limit.run(() -> CompletableFuture.completedFuture(7));

        assertTrue(thrown.isCompletedExceptionally());
        assertEquals(7, next.join());
    }

    @Test
    void waitingChatCalls_startBeforeWaitingBulkCalls() {
        InFlightLimit limit = new InFlightLimit(1, Runnable::run);
        List<String> started = new ArrayList<>();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (String name : List.of("bulk-1", "bulk-2", "bulk-3")) {
            limit.run(Lane.BULK, () -> start(name, started, calls));
        }
        limit.run(Lane.CHAT, () -> start("chat-1", started, calls));
        limit.run(() -> start("chat-2", started, calls)); // a call without a lane (an auth fetch) is chat's

        while (calls.size() < 5) {
            calls.get(calls.size() - 1).complete(null);
        }
        assertEquals(List.of("bulk-1", "chat-1", "chat-2", "bulk-2", "bulk-3"), started);
    }

    private static CompletableFuture<Void> start(String name, List<String> started, List<CompletableFuture<Void>> calls) {
        started.add(name);
        CompletableFuture<Void> call = new CompletableFuture<>();
        calls.add(call);
        return call;
    }
}
