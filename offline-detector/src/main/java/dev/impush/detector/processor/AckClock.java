package dev.impush.detector.processor;

import dev.impush.detector.input.InputProgress;

/**
 * The clock of one task's ack deadlines: how far the detector has read its events partition, in the
 * events' own time. A deadline at {@code T} fires once the {@link #horizon} has reached {@code T}:
 * the detector has then read every event produced up to {@code T}, so an {@code acked} sent in time
 * has been seen, however long the broker was away or the detector stalled. The wall clock alone never
 * fires a deadline.
 *
 * <p>An event's time is its record timestamp (the producer's {@code CreateTime}: when the platform
 * sent it, which a broker outage or a lagging detector does not change), never later than the
 * detector's clock when it reads it (a producer clock ahead must not fire other deadlines early).
 * The horizon is the larger of two lower bounds of "read up to", each kept back by the grace
 * {@code g}, the time a record may still reach the broker behind later ones:
 * <ul>
 *   <li><b>stream time</b>: the latest event time read, minus {@code g}. Records reach the broker in
 *   about the order they were produced while it is reachable; after an outage, producers deliver
 *   what they held back in any order. So this bound counts only once an event produced at least
 *   {@code g} after the broker came back (as the {@link InputProgress} saw it) has been read: it
 *   stands behind everything held back.</li>
 *   <li><b>caught up</b> (an idle partition, where no newer event comes): {@link
 *   InputProgress#caughtUpAt} minus {@code g}: the broker showed the detector had read and committed
 *   the whole partition then, and had been answering for {@code g} before.</li>
 * </ul>
 * The horizon never goes back. One instance per task, reset when the task is (re)initialised: after
 * a rollback the records read since the last commit are read again. Not thread-safe (the task's thread).
 */
final class AckClock {
    private final InputProgress input;
    private final int partition;
    private final long graceMs;
    private long readUpTo = Long.MIN_VALUE;
    private long horizon = Long.MIN_VALUE;

    AckClock(InputProgress input, int partition, long graceMs) {
        this.input = input;
        this.partition = partition;
        this.graceMs = graceMs;
    }

    /**
     * Records that an event with record timestamp {@code timestamp} was read at {@code now}, and returns
     * the time it counts as happening at: its timestamp, but not later than {@code now}, nor earlier
     * than the horizon (an event that arrives behind the horizon was held up, and so may its ack be:
     * its deadline runs from the horizon, never already past).
     */
    long read(long timestamp, long now) {
        long t = Math.min(timestamp, now);
        readUpTo = Math.max(readUpTo, t);
        return Math.max(t, horizon);
    }

    /** Every deadline at or before this may fire: see the class comment. */
    long horizon(long now) {
        long bound = horizon;
        long reachableSince = input.reachableSince(now);
        if (readUpTo != Long.MIN_VALUE && reachableSince != Long.MAX_VALUE && readUpTo - graceMs >= reachableSince) {
            bound = Math.max(bound, readUpTo - graceMs);
        }
        long caughtUpAt = input.caughtUpAt(partition, now);
        if (caughtUpAt != Long.MIN_VALUE) {
            bound = Math.max(bound, Math.min(caughtUpAt, now) - graceMs);
        }
        horizon = bound;
        return horizon;
    }
}
