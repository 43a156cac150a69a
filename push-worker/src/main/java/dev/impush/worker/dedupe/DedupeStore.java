package dev.impush.worker.dedupe;

import dev.impush.model.Channel;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.dedupe.DedupeMark;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.slf4j.LoggerFactory;

/**
 * The per-(message, device) dedupe state machine in Redis, laid out as {@link DedupeKey} says:
 * <pre>
 *   (absent) --claim--> inflight:&lt;owner&gt; (claim key, lease) --MarkSent--> sent (member of the mark set)
 *                                                              --MarkDone--> done (member of the mark set)
 *                                                              --Release--> (absent)
 * </pre>
 * A mark set lives until the hour its jobs expire in ends, plus a margin, at most the sent TTL
 * ({@link MarkTtl}). With {@code legacyMarks} (standalone Redis only), a claim also honours the key
 * of the layout before (a mark, or a claim of a worker of that release).
 *
 * <p>One connection, used by the poll thread, which Lettuce pipelines: a claim and the transitions
 * of a poll-loop pass are one script call per {@link #CHUNK} keys each, every script by
 * {@code EVALSHA}. On a Redis Cluster the calls take the keys of one master each and go to the
 * masters in parallel ({@link CallGroups}); keys whose slot moved go again by their slot.
 */
public final class DedupeStore implements Dedupe, AutoCloseable {
    private static final String INFLIGHT = DedupeMark.IN_FLIGHT_PREFIX;
    private static final String SHIELD = "shield:";
    /** Keys per script call: bounds how long one call holds Redis (about a millisecond). */
    static final int CHUNK = 500;
    /** How long a token stays shielded: longer than any job's lifetime and any app's reinstall gap. */
    public static final Duration SHIELD_TTL = Duration.ofDays(30);
    private static final LuaScript CLAIM = LuaScript.load(DedupeStore.class, "claim.lua");
    private static final LuaScript FINISH = LuaScript.load(DedupeStore.class, "finish.lua");
    private static final LuaScript RENEW = LuaScript.load(DedupeStore.class, "renew.lua");
    private static final LuaScript RECALL = LuaScript.load(DedupeStore.class, "recall.lua");
    /** A claim a master did not serve: its slot moved since the client saw the cluster, or is moving. */
    private static final String MOVED = "moved";
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final RedisLink link;
    private final RedisLink.Session connection;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final String inflightValue;
    private final String leaseMillis;
    private final Duration lease;
    private final MarkTtl markTtl;
    private final boolean legacyMarks;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param owner   this worker incarnation (unique per process start), written into claims
     * @param lease   how long a claim holds before another worker may take it; longer than a send
     * @param sentTtl the longest a sent (or done) mark blocks re-sends; each lives as long as its job
     *                can turn up again plus a margin ({@link MarkTtl})
     * @param timeout how long the poll thread waits for a claim or renewal
     * @param clock   tells how long a mark set has left
     * @param legacyMarks whether claims also read {@link DedupeKey#legacyKey()}; ignored on a Redis
     *                Cluster (those keys live in other slots)
     */
    public DedupeStore(RedisLink link, String owner, Duration lease, Duration sentTtl, Duration timeout,
                       Clock clock, boolean legacyMarks) {
        this.link = link;
        this.connection = link.connect();
        this.redis = connection.commands();
        this.inflightValue = INFLIGHT + owner;
        this.leaseMillis = Long.toString(lease.toMillis());
        this.lease = lease;
        this.markTtl = new MarkTtl(sentTtl);
        this.timeout = timeout;
        this.clock = clock;
        this.legacyMarks = legacyMarks && !link.clustered();
    }

    /** Claims every key, in order, without the token shield. One round trip. */
    public List<Claim> claim(List<DedupeKey> keys) throws DedupeUnavailableException {
        return claim(keys, null);
    }

    /**
     * {@inheritDoc} One script call per {@link #CHUNK} keys, in one round trip; on a Redis Cluster
     * per master, then, for keys whose slot moved, per slot (a second round trip).
     */
    @Override
    public List<Claim> claim(List<DedupeKey> keys, List<PushTarget> targets) throws DedupeUnavailableException {
        Claim[] claims = new Claim[keys.size()];
        IntUnaryOperator shardOf = i -> keys.get(i).shard();
        int[] moved = claim(keys, targets, CallGroups.byMaster(link, keys.size(), shardOf, CHUNK), claims);
        if (moved.length > 0) {
            claim(keys, targets, CallGroups.byShard(moved, shardOf, CHUNK), claims);
        }
        return Arrays.asList(claims);
    }

    /** Claims the groups' keys into {@code claims}; returns the keys a master did not serve. */
    private int[] claim(List<DedupeKey> keys, List<PushTarget> targets, CallGroups groups, Claim[] claims)
            throws DedupeUnavailableException {
        List<CompletableFuture<List<Object>>> calls = new ArrayList<>(groups.items().size());
        groups.items().forEach(g -> calls.add(claimCall(keys, targets, g, groups.undeclared())));
        List<List<Object>> replies = Replies.await(calls, timeout);
        IntStream.Builder moved = IntStream.builder();
        for (int c = 0; c < calls.size(); c++) {
            int[] items = groups.items().get(c);
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

    /** One claim.lua call for the deliveries at {@code items}, with their shield keys when there are targets. */
    private CompletableFuture<List<Object>> claimCall(List<DedupeKey> keys, List<PushTarget> targets, int[] items,
                                                     boolean undeclared) {
        boolean shielded = targets != null;
        int keysPerItem = 2 + (shielded ? 1 : 0) + (legacyMarks ? 1 : 0);
        ScriptCall call = new ScriptCall(items.length, undeclared, shielded ? 3 : 2, keysPerItem,
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

    /** {@inheritDoc} Grouped as {@link #claim} groups. */
    @Override
    public CompletableFuture<Void> apply(List<Transition> transitions) {
        IntUnaryOperator shardOf = i -> transitions.get(i).key().shard();
        CallGroups groups = CallGroups.byMaster(link, transitions.size(), shardOf, CHUNK);
        return CompletableFuture.allOf(groups.items().stream().map(items -> finishCall(transitions, items, groups.undeclared())
                        .thenCompose(moved -> moved.isEmpty() ? DONE : apply(transitions, CallGroups.byShard(
                                moved.stream().mapToInt(m -> items[m.intValue() - 1]).toArray(), shardOf, CHUNK))))
                        .toArray(CompletableFuture<?>[]::new))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The transitions of {@code groups}'s keys, which are declared. */
    private CompletableFuture<Void> apply(List<Transition> transitions, CallGroups groups) {
        return CompletableFuture.allOf(groups.items().stream().map(items -> finishCall(transitions, items, false))
                .toArray(CompletableFuture<?>[]::new));
    }

    /**
     * One finish.lua call: a mark or a release per delivery of the transitions at {@code items};
     * answers the numbers (from 1) of the deliveries whose master did not serve them.
     */
    private CompletableFuture<List<Long>> finishCall(List<Transition> transitions, int[] items, boolean undeclared) {
        ScriptCall call = new ScriptCall(items.length, undeclared, 2, 2, inflightValue);
        Instant now = clock.instant();
        for (int i = 0; i < items.length; i++) {
            Transition t = transitions.get(items[i]);
            DedupeKey k = t.key();
            call.key(i, 0, k.claimKey());
            call.key(i, 1, k.markKey());
            call.arg(i, 0, switch (t) {
                case Transition.Release r -> "";
                case Transition.MarkSent m -> k.member(DedupeMark.SENT);
                case Transition.MarkDone d -> k.member(DedupeMark.DONE);
            });
            call.arg(i, 1, t instanceof Transition.Release ? "0" : Long.toString(markTtl.millis(k.markHourEnd(), now)));
        }
        return call.run(FINISH, redis, ScriptOutputType.MULTI);
    }

    @Override
    public List<Recalled> recall(List<DedupeKey> keys) throws DedupeUnavailableException {
        List<int[]> groups = CallGroups.byShard(IntStream.range(0, keys.size()).toArray(),
                link.clustered() ? i -> keys.get(i).shard() : null, CHUNK).items();
        List<CompletableFuture<List<Object>>> calls = new ArrayList<>(groups.size());
        Instant now = clock.instant();
        for (int[] items : groups) {
            String[] redisKeys = new String[2 * items.length];
            String[] args = new String[3 * items.length];
            for (int i = 0; i < items.length; i++) {
                DedupeKey k = keys.get(items[i]);
                redisKeys[2 * i] = k.claimKey();
                redisKeys[2 * i + 1] = k.markKey();
                args[3 * i] = k.member(DedupeMark.SENT);
                args[3 * i + 1] = k.member(DedupeMark.DONE);
                args[3 * i + 2] = Long.toString(markTtl.millis(k.markHourEnd(), now));
            }
            calls.add(RECALL.run(redis, ScriptOutputType.MULTI, redisKeys, args));
        }
        Recalled[] out = new Recalled[keys.size()];
        List<List<Object>> replies = Replies.await(calls, timeout);
        for (int c = 0; c < groups.size(); c++) {
            int[] items = groups.get(c);
            List<Object> reply = replies.get(c);
            for (int i = 0; i < items.length; i++) {
                String state = (String) reply.get(i);
                out[items[i]] = switch (state) {
                    case "sent" -> Recalled.WAS_SENT;
                    case "done" -> Recalled.NEVER_SENT;
                    case "cancelled" -> Recalled.CANCELLED;
                    default -> new Recalled.Sending(state.substring(INFLIGHT.length()));
                };
            }
        }
        return Arrays.asList(out);
    }

    @Override
    public void shield(String userId, Channel channel, String token, Instant invalidatedAt) {
        redis.set(DedupeKey.shieldKey(userId, channel, token), Long.toString(invalidatedAt.toEpochMilli()),
                SetArgs.Builder.px(SHIELD_TTL.toMillis())).whenComplete((ok, e) -> {
                    if (e != null) {
                        LoggerFactory.getLogger(DedupeStore.class).warn("token shield not raised: {}", e.toString());
                    }
                });
    }

    @Override
    public Duration lease() {
        return lease;
    }

    @Override
    public List<Boolean> renew(List<DedupeKey> keys) throws DedupeUnavailableException {
        List<int[]> groups = CallGroups.byShard(IntStream.range(0, keys.size()).toArray(),
                link.clustered() ? i -> keys.get(i).shard() : null, CHUNK).items();
        List<CompletableFuture<List<Long>>> calls = new ArrayList<>(groups.size());
        for (int[] items : groups) {
            String[] redisKeys = new String[items.length];
            for (int i = 0; i < items.length; i++) {
                redisKeys[i] = keys.get(items[i]).claimKey();
            }
            calls.add(RENEW.run(redis, ScriptOutputType.MULTI, redisKeys, inflightValue, leaseMillis));
        }
        Boolean[] out = new Boolean[keys.size()];
        List<List<Long>> replies = Replies.await(calls, timeout);
        for (int c = 0; c < groups.size(); c++) {
            int[] items = groups.get(c);
            for (int i = 0; i < items.length; i++) {
                out[items[i]] = replies.get(c).get(i) == 1L;
            }
        }
        return Arrays.asList(out);
    }

    @Override
    public void close() {
        connection.close();
    }
}
