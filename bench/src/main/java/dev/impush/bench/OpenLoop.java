package dev.impush.bench;

/**
 * Sends {@code n} items on an open-loop schedule: item {@code i} is due {@code i / rate} seconds after
 * the start, whatever happened to the ones before, and is timed from that slot, however late the
 * sender got to it (no coordinated omission). A rate of 0 sends everything at once.
 */
final class OpenLoop {
    private OpenLoop() {}

    /** Sends item {@code i}; {@code slotNanos} is when it was due ({@link System#nanoTime()}). */
    @FunctionalInterface
    interface Sender {
        void send(int i, long slotNanos);
    }

    /** Returns when all were sent; the start, {@link System#nanoTime()}. */
    static long run(int n, double rate, Sender sender) throws InterruptedException {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; ) {
            long due = rate > 0 ? (long) ((System.nanoTime() - t0) / 1e9 * rate) : n;
            while (i < n && i <= due) {
                sender.send(i, rate > 0 ? t0 + (long) (i * 1e9 / rate) : System.nanoTime());
                i++;
            }
            if (rate > 0) {
                Thread.sleep(1);
            }
        }
        return t0;
    }
}
