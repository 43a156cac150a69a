package dev.impush.worker.dedupe;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.runtime.redis.RedisLink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * The items of a batch (their indices) one script call takes, in their batch's order, and where it
 * goes: to a Redis Cluster master named by its {@code node} id, with keys of any slot that master
 * serves passed {@linkplain ScriptCall undeclared}; or, {@code node} null, by its keys, declared,
 * which share a hash slot on a cluster (a shard's keys share its hash tag, see {@link DedupeKey}).
 *
 * @param items the items, at most a chunk
 * @param node  the master the call goes to, or null to route it by its keys
 */
record CallGroup(int[] items, String node) {
    private static final int[] SHARD_SLOTS = IntStream.range(0, DedupeKey.SHARDS).map(DedupeKey::slotOf).toArray();

    boolean undeclared() {
        return node != null;
    }

    /**
     * Items {@code 0..n-1} in chunks: on a Redis Cluster by the master of their shard as the client
     * last saw the cluster (by shard where it saw none), else all together. {@code shardOf} gives an
     * item's shard.
     */
    static List<CallGroup> byMaster(RedisLink link, int n, IntUnaryOperator shardOf, int chunk) {
        if (!link.clustered()) {
            return byShard(IntStream.range(0, n).toArray(), null, chunk);
        }
        String[] master = link.masters(SHARD_SLOTS);
        IntFunction<String> masterOf = i -> master[shardOf.applyAsInt(i)];
        List<CallGroup> groups = group(IntStream.range(0, n).filter(i -> masterOf.apply(i) != null).toArray(), masterOf,
                chunk, node -> node);
        groups.addAll(byShard(IntStream.range(0, n).filter(i -> masterOf.apply(i) == null).toArray(), shardOf, chunk));
        return groups;
    }

    /** {@code items} by shard (one hash slot each), their keys declared; with {@code shardOf} null in chunks only, for a standalone server. */
    static List<CallGroup> byShard(int[] items, IntUnaryOperator shardOf, int chunk) {
        IntFunction<Integer> groupOf = shardOf == null ? i -> 0 : shardOf::applyAsInt;
        return group(items, groupOf, chunk, shard -> null);
    }

    /** {@code items} in chunks of one group each, {@code groupOf} an item's group, {@code nodeOf} where a group's calls go. */
    private static <G> List<CallGroup> group(int[] items, IntFunction<G> groupOf, int chunk, Function<G, String> nodeOf) {
        Map<G, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int item : items) {
            byGroup.computeIfAbsent(groupOf.apply(item), g -> new ArrayList<>()).add(item);
        }
        List<CallGroup> groups = new ArrayList<>(items.length / chunk + byGroup.size());
        byGroup.forEach((g, members) -> {
            for (int from = 0; from < members.size(); from += chunk) {
                groups.add(new CallGroup(toArray(members.subList(from, Math.min(members.size(), from + chunk))),
                        nodeOf.apply(g)));
            }
        });
        return groups;
    }

    private static int[] toArray(List<Integer> items) {
        return items.stream().mapToInt(Integer::intValue).toArray();
    }
}
