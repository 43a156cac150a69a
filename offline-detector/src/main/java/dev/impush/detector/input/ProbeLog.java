package dev.impush.detector.input;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The answers of the broker probe, turned into {@link InputProgress}: a pure record of what the
 * broker said when, so the rule is tested without a broker. Written by the probe's thread, read by
 * the stream threads.
 *
 * <p>The broker counts as reachable since the first answer after a failed probe, or after a gap
 * between answers longer than {@code maxGap} (the detector itself did not run: a pause, a stall):
 * during such a gap records may have piled up in producers, and they reach the broker in any
 * order once it is back. A caught-up answer (committed offset at least the end offset) counts
 * only once the broker has answered for the grace, by which time those records have arrived.
 */
final class ProbeLog implements InputProgress {
    private final long graceMs;
    private final long maxGapMs;
    private final Map<Integer, Long> caughtUp = new ConcurrentHashMap<>();
    private volatile long reachableSince = Long.MAX_VALUE;
    private volatile long lastAnswer = Long.MIN_VALUE;

    ProbeLog(long graceMs, long maxGapMs) {
        this.graceMs = graceMs;
        this.maxGapMs = maxGapMs;
    }

    /**
     * The broker answered a probe sent at {@code sentAt}: each partition's end offset (last stable
     * offset) and the detector group's committed offset (absent: none yet, as if 0).
     */
    synchronized void answered(long sentAt, Map<Integer, Long> ends, Map<Integer, Long> committed) {
        if (reachableSince == Long.MAX_VALUE || sentAt - lastAnswer > maxGapMs) {
            reachableSince = sentAt;
        }
        lastAnswer = Math.max(lastAnswer, sentAt);
        if (sentAt - graceMs < reachableSince) {
            return; // records held back by the outage may still be on their way
        }
        ends.forEach((partition, end) -> {
            if (committed.getOrDefault(partition, 0L) >= end) {
                caughtUp.merge(partition, sentAt, Math::max);
            }
        });
    }

    /** A probe sent at {@code sentAt} got no answer. */
    synchronized void failed(long sentAt) {
        reachableSince = Long.MAX_VALUE;
    }

    @Override
    public long caughtUpAt(int partition, long now) {
        return caughtUp.getOrDefault(partition, Long.MIN_VALUE);
    }

    @Override
    public long reachableSince(long now) {
        long last = lastAnswer;
        // no answer for longer than a gap: the probe is stuck or was not running; say so now
        return last == Long.MIN_VALUE || now - last > maxGapMs ? Long.MAX_VALUE : reachableSince;
    }
}
