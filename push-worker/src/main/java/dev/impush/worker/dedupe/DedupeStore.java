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
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
 * {@code EVALSHA}. On a Redis Cluster the calls take the keys of one master each and go to that
 * master alone, the masters in parallel ({@link CallGroup}); keys it does not serve (their slot
 * moved, or is being moved and they are not there) go again by their slot.
 */
public final class DedupeStore implements Dedupe, AutoCloseable {
    private static final String INFLIGHT = DedupeMark.IN_FLIGHT_PREFIX;
    /** Keys per script call: bounds how long one call holds Redis (about a millisecond). */
    static final int CHUNK = 500;
    /** How long a token stays shielded: longer than any job's lifetime and any app's reinstall gap. */
    public static final Duration SHIELD_TTL = Duration.ofDays(30);
    private static final LuaScript FINISH = LuaScript.load(DedupeStore.class, "finish.lua");
    private static final LuaScript RENEW = LuaScript.load(DedupeStore.class, "renew.lua");
    private static final LuaScript RECALL = LuaScript.load(DedupeStore.class, "recall.lua");
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final RedisLink link;
    private final RedisLink.Session connection;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final String inflightValue;
    private final String leaseMillis;
    private final Duration lease;
    private final MarkTtl markTtl;
    private final BatchClaim claims;
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
        this.claims = new BatchClaim(link, connection, inflightValue, leaseMillis, legacyMarks && !link.clustered(),
                timeout);
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
        return claims.claim(keys, targets);
    }

    /** {@inheritDoc} Grouped as {@link #claim} groups. */
    @Override
    public CompletableFuture<Void> apply(List<Transition> transitions) {
        IntUnaryOperator shardOf = i -> transitions.get(i).key().shard();
        return apply(transitions, CallGroup.byMaster(link, transitions.size(), shardOf, CHUNK), shardOf)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The transitions of {@code groups}, then those a master did not serve, by their slot. */
    private CompletableFuture<Void> apply(List<Transition> transitions, List<CallGroup> groups, IntUnaryOperator shardOf) {
        return CompletableFuture.allOf(groups.stream().map(g -> finishCall(transitions, g)
                        .thenCompose(moved -> moved.isEmpty() ? DONE : apply(transitions, CallGroup.byShard(
                                moved.stream().mapToInt(m -> g.items()[m.intValue() - 1]).toArray(), shardOf, CHUNK), shardOf)))
                .toArray(CompletableFuture<?>[]::new));
    }

    /**
     * One finish.lua call: a mark or a release per delivery of the transitions of {@code group};
     * answers the numbers (from 1) of the deliveries its master did not serve (none with declared keys).
     */
    private CompletableFuture<List<Long>> finishCall(List<Transition> transitions, CallGroup group) {
        int[] items = group.items();
        ScriptCall call = new ScriptCall(group, 2, 2, inflightValue);
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
        return call.run(FINISH, connection, ScriptOutputType.MULTI);
    }

    @Override
    public List<Recalled> recall(List<DedupeKey> keys) throws DedupeUnavailableException {
        Instant now = clock.instant();
        return perKey(keys, items -> {
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
            return RECALL.run(redis, ScriptOutputType.MULTI, redisKeys, args);
        }, (Object state) -> switch ((String) state) {
            case "sent" -> Recalled.WAS_SENT;
            case "done" -> Recalled.NEVER_SENT;
            case "cancelled" -> Recalled.CANCELLED;
            case String holder -> new Recalled.Sending(holder.substring(INFLIGHT.length()));
        });
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
        return perKey(keys, items -> RENEW.run(redis, ScriptOutputType.MULTI,
                Arrays.stream(items).mapToObj(i -> keys.get(i).claimKey()).toArray(String[]::new),
                inflightValue, leaseMillis), (Long held) -> held == 1L);
    }

    /**
     * One script call per {@link #CHUNK} keys (of one slot on a Redis Cluster), all in one round trip;
     * the i-th element of a call's reply answers its i-th key.
     */
    private <R, T> List<T> perKey(List<DedupeKey> keys, Function<int[], CompletableFuture<List<R>>> call,
                                  Function<R, T> answer) throws DedupeUnavailableException {
        List<int[]> groups = CallGroup.byShard(IntStream.range(0, keys.size()).toArray(),
                link.clustered() ? i -> keys.get(i).shard() : null, CHUNK).stream().map(CallGroup::items).toList();
        List<List<R>> replies = Replies.await(groups.stream().map(call).toList(), timeout);
        List<T> out = new ArrayList<>(Collections.nCopies(keys.size(), null));
        for (int c = 0; c < groups.size(); c++) {
            int[] items = groups.get(c);
            for (int i = 0; i < items.length; i++) {
                out.set(items[i], answer.apply(replies.get(c).get(i)));
            }
        }
        return out;
    }

    @Override
    public void close() {
        connection.close();
    }
}
