package dev.impush.worker.dedupe;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.runtime.redis.RedisLink;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * A batch's items (their indices) grouped for script calls: at most {@code chunk} items per call,
 * in their batch's order within a call, and on a Redis Cluster only items one master serves (their
 * keys {@linkplain ScriptCall undeclared}) or only items of one shard, so of one hash slot (their
 * keys declared: a shard's keys share its hash tag, see {@link DedupeKey}).
 *
 * @param items      each call's items
 * @param undeclared whether the calls pass their keys undeclared
 */
record CallGroups(List<int[]> items, boolean undeclared) {
    private static final int[] SHARD_SLOTS = IntStream.range(0, DedupeKey.SHARDS).map(DedupeKey::slotOf).toArray();

    /**
     * Items {@code 0..n-1}: on a Redis Cluster by the master of their shard as the client last saw
     * the cluster, else in chunks. {@code shardOf} gives an item's shard.
     */
    static CallGroups byMaster(RedisLink link, int n, IntUnaryOperator shardOf, int chunk) {
        int[] items = IntStream.range(0, n).toArray();
        if (!link.clustered()) {
            return new CallGroups(group(items, null, chunk), false);
        }
        int[] master = link.masters(SHARD_SLOTS);
        return new CallGroups(group(items, i -> master[shardOf.applyAsInt(i)], chunk), true);
    }

    /**
     * {@code items} by shard (one hash slot each), their keys declared; with {@code shardOf} null
     * in chunks only, for a standalone server.
     */
    static CallGroups byShard(int[] items, IntUnaryOperator shardOf, int chunk) {
        return new CallGroups(group(items, shardOf, chunk), false);
    }

    /** {@code items} in chunks of one group each: {@code groupOf} gives an item's group, null puts all in one. */
    private static List<int[]> group(int[] items, IntUnaryOperator groupOf, int chunk) {
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
