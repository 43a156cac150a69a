package dev.impush.detector;

import dev.impush.detector.input.InputProgress;
import java.time.Instant;

/**
 * {@link InputProgress} as a test scripts it. By default an idle, healthy partition: the broker has
 * answered all along and shows the detector caught up at every moment ({@code caughtUpAt = now}).
 */
final class ScriptedInput implements InputProgress {
    private boolean followsClock = true;
    private long caughtUpAt = Long.MIN_VALUE;
    private long reachableSince = Long.MIN_VALUE;

    /** Caught up at every moment, as an idle partition the probe keeps seeing read to its end. */
    ScriptedInput caughtUpAlways() {
        followsClock = true;
        return this;
    }

    /** Last seen caught up at {@code t} (before: a busy or lagging partition, never idle at a probe). */
    ScriptedInput caughtUpLastAt(Instant t) {
        followsClock = false;
        caughtUpAt = t == null ? Long.MIN_VALUE : t.toEpochMilli();
        return this;
    }

    /** The broker stopped answering (caught up last at {@code lastCaughtUp}). */
    ScriptedInput brokerAway(Instant lastCaughtUp) {
        caughtUpLastAt(lastCaughtUp);
        reachableSince = Long.MAX_VALUE;
        return this;
    }

    /** The broker answers again since {@code t}. */
    ScriptedInput brokerBackAt(Instant t) {
        reachableSince = t.toEpochMilli();
        return this;
    }

    @Override
    public long caughtUpAt(int partition, long now) {
        return followsClock ? now : caughtUpAt;
    }

    @Override
    public long reachableSince(long now) {
        return reachableSince;
    }
}
