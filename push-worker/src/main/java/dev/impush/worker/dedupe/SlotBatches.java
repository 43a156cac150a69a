package dev.impush.worker.dedupe;

import dev.impush.runtime.redis.RedisLink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A batch's items grouped for script calls: at most {@code chunk} items per call and, on a Redis
 * Cluster, only items whose keys share a hash slot (a script may touch one slot only; a user's keys
 * share one through their hash tag). Items keep their order within a group. On a standalone server
 * the groups are the batch's consecutive chunks.
 */
final class SlotBatches {
    private SlotBatches() {}

    /** Indices {@code 0..n-1} in groups; {@code keyOf} gives an item's key (any of them: they share a slot). */
    static List<int[]> of(int n, RedisLink redis, IntFunction<String> keyOf, int chunk) {
        List<int[]> groups = new ArrayList<>(n / chunk + 1);
        if (!redis.clustered()) {
            for (int from = 0; from < n; from += chunk) {
                int[] g = new int[Math.min(n, from + chunk) - from];
                for (int i = 0; i < g.length; i++) {
                    g[i] = from + i;
                }
                groups.add(g);
            }
            return groups;
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            bySlot.computeIfAbsent(redis.slot(keyOf.apply(i)), s -> new ArrayList<>()).add(i);
        }
        for (List<Integer> slot : bySlot.values()) {
            for (int from = 0; from < slot.size(); from += chunk) {
                groups.add(slot.subList(from, Math.min(slot.size(), from + chunk)).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        return groups;
    }
}
