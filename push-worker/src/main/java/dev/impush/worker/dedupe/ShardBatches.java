package dev.impush.worker.dedupe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;

/**
 * A batch's items grouped for script calls: at most {@code chunk} items per call and, on a Redis
 * Cluster, only items of one shard (a script may touch one hash slot only; a shard's keys share its
 * hash tag, see {@link dev.impush.model.dedupe.DedupeKey}). Items keep their order within a group.
 * On a standalone server the groups are the batch's consecutive chunks.
 */
final class ShardBatches {
    private ShardBatches() {}

    /** Indices {@code 0..n-1} in groups; {@code shardOf} gives an item's shard. */
    static List<int[]> of(int n, boolean clustered, IntUnaryOperator shardOf, int chunk) {
        List<int[]> groups = new ArrayList<>(n / chunk + 1);
        if (!clustered) {
            for (int from = 0; from < n; from += chunk) {
                int[] g = new int[Math.min(n, from + chunk) - from];
                for (int i = 0; i < g.length; i++) {
                    g[i] = from + i;
                }
                groups.add(g);
            }
            return groups;
        }
        Map<Integer, List<Integer>> byShard = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byShard.computeIfAbsent(shardOf.applyAsInt(i), s -> new ArrayList<>()).add(i);
        }
        for (List<Integer> shard : byShard.values()) {
            for (int from = 0; from < shard.size(); from += chunk) {
                groups.add(shard.subList(from, Math.min(shard.size(), from + chunk)).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        return groups;
    }
}
