package dev.impush.worker.consumer;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Offsets of one assigned partition whose records are not finished yet. Records finish out of
 * order (sends complete when vendors answer); the committable position is the lowest unfinished
 * offset, or one past the highest seen when nothing is unfinished, so a commit never skips work.
 * Each offset keeps since when its record waits (written, or due), for {@link #oldestSince}.
 *
 * <p>Confined to the poll thread. A new instance is made for every assignment of the partition,
 * with a new {@link #generation}; records of an older one finish without moving its offsets.
 */
final class PartitionOffsetTracker {
    final long generation;
    /** Unfinished offset → epoch ms since when its record waits. */
    private final TreeMap<Long, Long> unfinished = new TreeMap<>();
    private long nextOffset = -1;
    private long committed = -1;
    /** A record given back to Kafka ({@link #rewindTo}) still waits until it is taken again. */
    private long rewoundOffset = -1;
    private long rewoundSince = Long.MAX_VALUE;

    PartitionOffsetTracker(long generation) {
        this.generation = generation;
    }

    /** A record at {@code offset}, waiting since {@code sinceMs}, was handed to the pipeline. */
    void track(long offset, long sinceMs) {
        unfinished.put(offset, sinceMs);
        nextOffset = Math.max(nextOffset, offset + 1);
        if (offset <= rewoundOffset) {
            rewoundSince = Long.MAX_VALUE;
            rewoundOffset = -1;
        }
    }

    /** The record at {@code offset} is finished (delivered, dropped or dead-lettered). */
    void complete(long offset) {
        unfinished.remove(offset);
    }

    /** Rewinds to {@code offset}: everything from it on is forgotten, it will be polled again. */
    void rewindTo(long offset) {
        Map<Long, Long> forgotten = unfinished.tailMap(offset, true);
        Long since = forgotten.get(offset);
        if (since != null && since < rewoundSince) {
            rewoundSince = since;
            rewoundOffset = offset;
        }
        forgotten.clear();
        nextOffset = Math.min(nextOffset, offset);
    }

    int unfinishedCount() {
        return unfinished.size();
    }

    /** Epoch ms since when the oldest record not finished waits; {@code Long.MAX_VALUE} when none. */
    long oldestSince() {
        Map.Entry<Long, Long> first = unfinished.firstEntry();
        return Math.min(first == null ? Long.MAX_VALUE : first.getValue(), rewoundSince);
    }

    /** The offset to commit now, if it moved since the last {@link #committed}. */
    OptionalLong committable() {
        long position = unfinished.isEmpty() ? nextOffset : unfinished.firstKey();
        return position > committed ? OptionalLong.of(position) : OptionalLong.empty();
    }

    void committed(long offset) {
        committed = Math.max(committed, offset);
    }
}
