package dev.impush.worker.pipeline;

import java.util.PriorityQueue;

/** Actions due at an epoch millisecond, run by the poll thread when it looks ({@link #runDue}). Not thread-safe. */
final class Timers {
    private record Timer(long at, long seq, Runnable action) {}

    private final PriorityQueue<Timer> queue = new PriorityQueue<>((a, b) ->
            a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long seq;

    void at(long epochMillis, Runnable action) {
        queue.add(new Timer(epochMillis, seq++, action));
    }

    /** Runs, in time order, every action due at {@code now}. */
    void runDue(long now) {
        while (!queue.isEmpty() && queue.peek().at <= now) {
            queue.poll().action.run();
        }
    }
}
