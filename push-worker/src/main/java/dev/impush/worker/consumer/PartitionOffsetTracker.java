package dev.impush.worker.consumer;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Offsets of one assigned partition whose records are not finished yet. Records finish out of
 * order (sends complete when vendors answer); the committable position is the lowest unfinished
 * offset, or one past the highest seen when nothing is unfinished, so a commit never skips work.
 *
 * <p>Confined to the poll thread. A new instance is made for every assignment of the partition,
 * with a new {@link #generation}; records of an older one finish without moving its offsets.
 */
final class PartitionOffsetTracker {
    final long generation;
    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long nextOffset = -1;
    private long committed = -1;

    PartitionOffsetTracker(long generation) {
        this.generation = generation;
    }

    /** A record at {@code offset} was handed to the pipeline. */
    void track(long offset) {
        unfinished.add(offset);
        nextOffset = Math.max(nextOffset, offset + 1);
    }

    /** The record at {@code offset} is finished (delivered, dropped or dead-lettered). */
    void complete(long offset) {
        unfinished.remove(offset);
    }

    /** Rewinds to {@code offset}: everything from it on is forgotten, it will be polled again. */
    void rewindTo(long offset) {
        unfinished.tailSet(offset, true).clear();
        nextOffset = Math.min(nextOffset, offset);
    }

    int unfinishedCount() {
        return unfinished.size();
    }

    /** The offset to commit now, if it moved since the last {@link #committed}. */
    OptionalLong committable() {
        long position = unfinished.isEmpty() ? nextOffset : unfinished.first();
        return position > committed ? OptionalLong.of(position) : OptionalLong.empty();
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
