package dev.impush.worker.dedupe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * A batch's items grouped for script calls: at most {@code chunk} items per call, and only items of
 * one group (on a Redis Cluster, one master's or one hash slot's: a shard's keys share its hash tag,
 * see {@link dev.impush.model.dedupe.DedupeKey}). Items keep their order within a group.
 */
final class ShardBatches {
    private ShardBatches() {}

    /** Items {@code 0..n-1} in groups: {@code groupOf} gives an item's group, null puts all in one. */
    static List<int[]> of(int n, IntUnaryOperator groupOf, int chunk) {
        return of(IntStream.range(0, n).toArray(), groupOf, chunk);
    }

    /** {@code items} in groups: {@code groupOf} gives an item's group, null puts all in one. */
    static List<int[]> of(int[] items, IntUnaryOperator groupOf, int chunk) {
        List<int[]> groups = new ArrayList<>(items.length / chunk + 1);
        if (groupOf == null) {
            for (int from = 0; from < items.length; from += chunk) {
                groups.add(Arrays.copyOfRange(items, from, Math.min(items.length, from + chunk)));
            }
            return groups;
        }
        Map<Integer, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int item : items) {
            byGroup.computeIfAbsent(groupOf.applyAsInt(item), s -> new ArrayList<>()).add(item);
        }
        for (List<Integer> group : byGroup.values()) {
            for (int from = 0; from < group.size(); from += chunk) {
                groups.add(group.subList(from, Math.min(group.size(), from + chunk)).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        return groups;
    }
}
