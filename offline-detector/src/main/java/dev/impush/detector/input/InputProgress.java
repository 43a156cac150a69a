package dev.impush.detector.input;

/**
 * What the broker has shown about how far the detector has read its events topic: the evidence that
 * lets an ack deadline fire on the wall clock when no newer event proves the input was read past it
 * (an idle partition). Implementations are thread-safe: every stream thread asks.
 *
 * <p>Both answers are in epoch milliseconds of the detector's own clock.
 */
public interface InputProgress {
    /**
     * The latest time {@code W} at which the broker's end of the events partition (its last stable
     * offset) was reached by the detector's committed offset, asked at {@code W}, with the broker
     * answering without a break from {@code W - grace} to {@code W}: every record produced before
     * {@code W - grace} had reached the broker by {@code W} (each producer delivers within the grace,
     * also after an outage) and has been read. {@link Long#MIN_VALUE} when there is none.
     */
    long caughtUpAt(int partition, long now);

    /**
     * Since when the broker has answered the detector without a break (an outage, or the detector not
     * running: paused, stalled), {@link Long#MAX_VALUE} while it is not answering. Records produced
     * before then may still arrive behind newer ones, however fresh those look.
     */
    long reachableSince(long now);

    /** No evidence at all: deadlines wait for the events' own time (tests; ack tracking off). */
    InputProgress NONE = new InputProgress() {
        @Override
        public long caughtUpAt(int partition, long now) {
            return Long.MIN_VALUE;
        }

        @Override
        public long reachableSince(long now) {
            return Long.MIN_VALUE;
        }
    };
}
