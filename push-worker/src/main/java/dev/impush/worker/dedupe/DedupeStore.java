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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * {@code EVALSHA}. On a Redis Cluster a call takes the keys of one shard, so of one hash slot
 * ({@link ShardBatches}), and the calls go to their slots' masters in parallel.
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

    /** {@inheritDoc} One script call per {@link #CHUNK} keys (of one shard on a cluster), in one round trip. */
    @Override
    public List<Claim> claim(List<DedupeKey> keys, List<PushTarget> targets) throws DedupeUnavailableException {
        List<int[]> groups = ShardBatches.of(keys.size(), link.clustered(), i -> keys.get(i).shard(), CHUNK);
        List<CompletableFuture<List<Object>>> calls = new ArrayList<>(groups.size());
        groups.forEach(g -> calls.add(claimChunk(keys, targets, g)));
        Claim[] claims = new Claim[keys.size()];
        List<List<Object>> replies = await(calls);
        for (int c = 0; c < groups.size(); c++) {
            int[] items = groups.get(c);
            List<Object> reply = replies.get(c);
            for (int i = 0, item = 0; i < reply.size(); i++, item++) {
                claims[items[item]] = reply.get(i) instanceof String current ? claim(current, (Long) reply.get(++i))
                        : Claim.CLAIMED;
            }
        }
        return Arrays.asList(claims);
    }

    /** One claim.lua call for the deliveries at {@code items}, with their shield keys when there are targets. */
    private CompletableFuture<List<Object>> claimChunk(List<DedupeKey> keys, List<PushTarget> targets, int[] items) {
        boolean shielded = targets != null;
        int stride = 2 + (shielded ? 1 : 0) + (legacyMarks ? 1 : 0);
        int argStride = shielded ? 3 : 2;
        String[] redisKeys = new String[items.length * stride];
        String[] args = new String[4 + items.length * argStride];
        args[0] = inflightValue;
        args[1] = leaseMillis;
        args[2] = shielded ? "1" : "0";
        args[3] = legacyMarks ? "1" : "0";
        for (int i = 0; i < items.length; i++) {
            DedupeKey k = keys.get(items[i]);
            int key = i * stride;
            int arg = 4 + i * argStride;
            redisKeys[key] = k.claimKey();
            redisKeys[key + 1] = k.markKey();
            args[arg] = k.member(DedupeMark.SENT);
            args[arg + 1] = k.member(DedupeMark.DONE);
            if (shielded) {
                PushTarget t = targets.get(items[i]);
                redisKeys[key + 2] = DedupeKey.shieldKey(k.userId(), t.channel(), t.token());
                args[arg + 2] = t.registeredAt() == null ? "0" : Long.toString(t.registeredAt().toEpochMilli());
            }
            if (legacyMarks) {
                redisKeys[key + stride - 1] = k.legacyKey();
            }
        }
        return CLAIM.run(redis, ScriptOutputType.MULTI, redisKeys, args);
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

    @Override
    public CompletableFuture<Void> apply(List<Transition> transitions) {
        List<int[]> groups = ShardBatches.of(transitions.size(), link.clustered(), i -> transitions.get(i).key().shard(), CHUNK);
        CompletableFuture<?>[] calls = new CompletableFuture<?>[groups.size()];
        for (int c = 0; c < calls.length; c++) {
            calls[c] = finishChunk(transitions, groups.get(c));
        }
        return CompletableFuture.allOf(calls).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One finish.lua call: a mark or a release per delivery of the transitions at {@code items}. */
    private CompletableFuture<Long> finishChunk(List<Transition> transitions, int[] items) {
        String[] keys = new String[2 * items.length];
        String[] args = new String[1 + 2 * items.length];
        args[0] = inflightValue;
        Instant now = clock.instant();
        for (int i = 0; i < items.length; i++) {
            Transition t = transitions.get(items[i]);
            DedupeKey k = t.key();
            keys[2 * i] = k.claimKey();
            keys[2 * i + 1] = k.markKey();
            args[1 + 2 * i] = switch (t) {
                case Transition.Release r -> "";
                case Transition.MarkSent m -> k.member(DedupeMark.SENT);
                case Transition.MarkDone d -> k.member(DedupeMark.DONE);
            };
            args[2 + 2 * i] = t instanceof Transition.Release ? "0" : Long.toString(markTtl.millis(k.markHourEnd(), now));
        }
        return FINISH.run(redis, ScriptOutputType.INTEGER, keys, args);
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
        List<int[]> groups = ShardBatches.of(keys.size(), link.clustered(), i -> keys.get(i).shard(), CHUNK);
        List<CompletableFuture<List<Long>>> calls = new ArrayList<>(groups.size());
        for (int[] items : groups) {
            String[] redisKeys = new String[items.length];
            for (int i = 0; i < items.length; i++) {
                redisKeys[i] = keys.get(items[i]).claimKey();
            }
            calls.add(RENEW.run(redis, ScriptOutputType.MULTI, redisKeys, inflightValue, leaseMillis));
        }
        Boolean[] out = new Boolean[keys.size()];
        List<List<Long>> replies = await(calls);
        for (int c = 0; c < groups.size(); c++) {
            int[] items = groups.get(c);
            for (int i = 0; i < items.length; i++) {
                out[items[i]] = replies.get(c).get(i) == 1L;
            }
        }
        return Arrays.asList(out);
    }

    /** The values of {@code calls}, waiting at most the timeout for all of them. */
    private <T> List<T> await(List<CompletableFuture<T>> calls) throws DedupeUnavailableException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<T> values = new ArrayList<>(calls.size());
        try {
            for (CompletableFuture<T> c : calls) {
                values.add(c.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return values;
        } catch (ExecutionException e) {
            throw new DedupeUnavailableException("redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DedupeUnavailableException("redis did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DedupeUnavailableException("interrupted", e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
