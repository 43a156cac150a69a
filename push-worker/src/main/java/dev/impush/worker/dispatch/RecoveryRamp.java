package dev.impush.worker.dispatch;

/**
 * Slow start for a vendor that just came back: in the first second after a channel's breaker closed
 * again the replica lets {@code start} sends through, then twice as many each second, until the
 * ramp ends ({@link #STEPS} doublings, 128 x start) and sends are no longer held. Without it every
 * delivery parked during the outage would reach the vendor in the same instant. Thread-safe.
 */
final class RecoveryRamp {
    /** Doublings before the ramp ends. */
    static final int STEPS = 7;

    private final int start;
    /** Epoch ms of the recovery being ramped; {@code Long.MIN_VALUE}: none. Read without the lock on every send. */
    private volatile long since = Long.MIN_VALUE;
    private long window = -1;
    private long sentInWindow;

    /** @param start sends in the first second; 0 turns the ramp off */
    RecoveryRamp(int start) {
        this.start = start;
    }

    /** The channel recovered at {@code now} (epoch ms): start ramping. */
    synchronized void recovered(long now) {
        if (start > 0) {
            since = now;
            window = -1;
        }
    }

    /** How long (ms) a send must wait before it may go at {@code now}; 0: at once (and it is counted). */
    long delay(long now) {
        return since == Long.MIN_VALUE ? 0 : ramped(now); // no lock outside a ramp: every send asks
    }

    private synchronized long ramped(long now) {
        if (since == Long.MIN_VALUE) {
            return 0;
        }
        long second = (now - since) / 1000;
        if (second >= STEPS || second < 0) {
            since = Long.MIN_VALUE;
            return 0;
        }
        if (second != window) {
            window = second;
            sentInWindow = 0;
        }
        if (sentInWindow < (long) start << second) {
            sentInWindow++;
            return 0;
        }
        return since + (second + 1) * 1000 - now;
    }
}
