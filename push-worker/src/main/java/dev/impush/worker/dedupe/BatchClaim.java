package dev.impush.worker.dedupe;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.dedupe.DedupeMark;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Claims a batch of deliveries with {@code claim.lua}: one call per {@link DedupeStore#CHUNK} keys of
 * one master, all in one round trip, then, for keys whose slot moved meanwhile, per slot. A claim
 * checks the token shield when the targets are given, and the layout before when {@code legacyMarks}.
 */
final class BatchClaim {
    private static final LuaScript CLAIM = LuaScript.load(DedupeStore.class, "claim.lua");
    private static final String INFLIGHT = DedupeMark.IN_FLIGHT_PREFIX;
    private static final String SHIELD = "shield:";
    /** A claim a master did not serve: its slot moved since the client saw the cluster, or is moving. */
    private static final String MOVED = "moved";

    private final RedisLink link;
    private final RedisLink.Session redis;
    private final String inflightValue;
    private final String leaseMillis;
    private final boolean legacyMarks;
    private final Duration timeout;

    BatchClaim(RedisLink link, RedisLink.Session redis, String inflightValue,
               String leaseMillis, boolean legacyMarks, Duration timeout) {
        this.link = link;
        this.redis = redis;
        this.inflightValue = inflightValue;
        this.leaseMillis = leaseMillis;
        this.legacyMarks = legacyMarks;
        this.timeout = timeout;
    }

    /** The claims of {@code keys}, in order; {@code targets} {@code null} to skip the token shield. */
    List<Claim> claim(List<DedupeKey> keys, List<PushTarget> targets) throws DedupeUnavailableException {
        Claim[] claims = new Claim[keys.size()];
        IntUnaryOperator shardOf = i -> keys.get(i).shard();
        int[] moved = claim(keys, targets, CallGroup.byMaster(link, keys.size(), shardOf, DedupeStore.CHUNK), claims);
        if (moved.length > 0) {
            claim(keys, targets, CallGroup.byShard(moved, shardOf, DedupeStore.CHUNK), claims);
        }
        return Arrays.asList(claims);
    }

    /** Claims the groups' keys into {@code claims}; returns the keys a master did not serve. */
    private int[] claim(List<DedupeKey> keys, List<PushTarget> targets, List<CallGroup> groups, Claim[] claims)
            throws DedupeUnavailableException {
        List<CompletableFuture<List<Object>>> calls = new ArrayList<>(groups.size());
        groups.forEach(g -> calls.add(call(keys, targets, g)));
        List<List<Object>> replies = Replies.await(calls, timeout);
        IntStream.Builder moved = IntStream.builder();
        for (int c = 0; c < calls.size(); c++) {
            int[] items = groups.get(c).items();
            List<Object> reply = replies.get(c);
            for (int i = 0, item = 0; i < reply.size(); i++, item++) {
                if (!(reply.get(i) instanceof String state)) {
                    claims[items[item]] = Claim.CLAIMED;
                } else if (MOVED.equals(state)) {
                    moved.add(items[item]);
                    i++;
                } else {
                    claims[items[item]] = claim(state, (Long) reply.get(++i));
                }
            }
        }
        return moved.build().toArray();
    }

    /** One claim.lua call for the deliveries of {@code group}, with their shield keys when there are targets. */
    private CompletableFuture<List<Object>> call(List<DedupeKey> keys, List<PushTarget> targets, CallGroup group) {
        boolean shielded = targets != null;
        int keysPerItem = 2 + (shielded ? 1 : 0) + (legacyMarks ? 1 : 0);
        int[] items = group.items();
        ScriptCall call = new ScriptCall(group, shielded ? 3 : 2, keysPerItem,
                inflightValue, leaseMillis, shielded ? "1" : "0", legacyMarks ? "1" : "0");
        for (int i = 0; i < items.length; i++) {
            DedupeKey k = keys.get(items[i]);
            call.key(i, 0, k.claimKey());
            call.key(i, 1, k.markKey());
            call.arg(i, 0, k.member(DedupeMark.SENT));
            call.arg(i, 1, k.member(DedupeMark.DONE));
            if (shielded) {
                PushTarget t = targets.get(items[i]);
                call.key(i, 2, DedupeKey.shieldKey(k.userId(), t.channel(), t.token()));
                call.arg(i, 2, t.registeredAt() == null ? "0" : Long.toString(t.registeredAt().toEpochMilli()));
            }
            if (legacyMarks) {
                call.key(i, keysPerItem - 1, k.legacyKey());
            }
        }
        return call.run(CLAIM, redis, ScriptOutputType.MULTI);
    }

    private static Claim claim(String current, long pttl) {
        if (current.startsWith(INFLIGHT)) {
            return new Claim.HeldElsewhere(current.substring(INFLIGHT.length()), Duration.ofMillis(Math.max(0, pttl)));
        }
        if (current.startsWith(SHIELD)) {
            return new Claim.Shielded(Instant.ofEpochMilli(Long.parseLong(current.substring(SHIELD.length()))));
        }
        return new Claim.AlreadyDone(current);
    }
}
