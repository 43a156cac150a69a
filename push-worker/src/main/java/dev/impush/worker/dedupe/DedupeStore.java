package dev.impush.worker.dedupe;

import dev.impush.model.Channel;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.dedupe.DedupeMark;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.redis.LuaScript;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/**
 * The per-(message, device) dedupe state machine in Redis:
 * <pre>
 *   (absent) --claim--> inflight:&lt;owner&gt; (lease) --MarkSent--> sent (mark TTL)
 *                                                   --MarkDone--> done:&lt;why&gt; (mark TTL)
 *                                                   --Release--> (absent)
 * </pre>
 * A mark lives until its job expires plus a margin, at most the sent TTL ({@link MarkTtl}).
 *
 * <p>One connection, used by the poll thread, which Lettuce pipelines: a claim and the transitions
 * of a poll-loop pass are one script call per {@link #CHUNK} keys each, every script by
 * {@code EVALSHA}.
 */
public final class DedupeStore implements Dedupe, AutoCloseable {
    private static final String SENT = DedupeMark.SENT_VALUE;
    private static final String INFLIGHT = DedupeMark.IN_FLIGHT_PREFIX;
    private static final String SHIELD = "shield:";
    /** Keys per script call: bounds how long one call holds Redis (about a millisecond). */
    static final int CHUNK = 500;
    /** How long a token stays shielded: longer than any job's lifetime and any app's reinstall gap. */
    public static final Duration SHIELD_TTL = Duration.ofDays(30);
    private static final LuaScript CLAIM = LuaScript.load(DedupeStore.class, "claim.lua");
    private static final LuaScript FINISH = LuaScript.load(DedupeStore.class, "finish.lua");
    private static final LuaScript RENEW = LuaScript.load(DedupeStore.class, "renew.lua");

    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final String inflightValue;
    private final String leaseMillis;
    private final Duration lease;
    private final MarkTtl markTtl;
    private final Duration timeout;
    private final Clock clock;

    /**
     * @param owner   this worker incarnation (unique per process start), written into claims
     * @param lease   how long a claim holds before another worker may take it; longer than a send
     * @param sentTtl the longest a sent (or done) mark blocks re-sends; each lives as long as its job
     *                can turn up again plus a margin, and a job without expiry this long
     * @param timeout how long the poll thread waits for a claim or renewal
     * @param clock   tells how long a job has left
     */
    public DedupeStore(RedisClient client, String owner, Duration lease, Duration sentTtl, Duration timeout,
                       Clock clock) {
        this.connection = client.connect(StringCodec.UTF8);
        this.redis = connection.async();
        this.inflightValue = INFLIGHT + owner;
        this.leaseMillis = Long.toString(lease.toMillis());
        this.lease = lease;
        this.markTtl = new MarkTtl(sentTtl);
        this.timeout = timeout;
        this.clock = clock;
    }

    /** Claims every key, in order, without the token shield. One round trip. */
    public List<Claim> claim(List<DedupeKey> keys) throws DedupeUnavailableException {
        return claim(keys, null);
    }

    /** {@inheritDoc} One script call per {@link #CHUNK} keys, in one round trip. */
    @Override
    public List<Claim> claim(List<DedupeKey> keys, List<PushTarget> targets) throws DedupeUnavailableException {
        List<CompletableFuture<List<Object>>> calls = new ArrayList<>(keys.size() / CHUNK + 1);
        for (int from = 0; from < keys.size(); from += CHUNK) {
            calls.add(claimChunk(keys, targets, from, Math.min(keys.size(), from + CHUNK)));
        }
        List<Claim> claims = new ArrayList<>(keys.size());
        for (List<Object> replies : await(calls)) {
            for (int i = 0; i < replies.size(); i++) {
                if (replies.get(i) instanceof String current) {
                    claims.add(claim(current, (Long) replies.get(++i)));
                } else {
                    claims.add(Claim.CLAIMED);
                }
            }
        }
        return claims;
    }

    /** One claim.lua call for keys {@code [from, to)}, with their shield keys when there are targets. */
    private CompletableFuture<List<Object>> claimChunk(List<DedupeKey> keys, List<PushTarget> targets, int from,
                                                       int to) {
        int n = to - from;
        String[] redisKeys = new String[targets == null ? n : 2 * n];
        String[] args = new String[targets == null ? 3 : 3 + n];
        args[0] = inflightValue;
        args[1] = leaseMillis;
        args[2] = targets == null ? "0" : "1";
        for (int i = 0; i < n; i++) {
            DedupeKey k = keys.get(from + i);
            redisKeys[i] = k.redisKey();
            if (targets != null) {
                PushTarget t = targets.get(from + i);
                redisKeys[n + i] = DedupeKey.shieldKey(k.userId(), t.channel(), t.token());
                args[3 + i] = t.registeredAt() == null ? "0" : Long.toString(t.registeredAt().toEpochMilli());
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
        List<CompletableFuture<Long>> calls = new ArrayList<>(transitions.size() / CHUNK + 1);
        for (int from = 0; from < transitions.size(); from += CHUNK) {
            calls.add(finishChunk(transitions.subList(from, Math.min(transitions.size(), from + CHUNK))));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One finish.lua call: a mark or a release per key. */
    private CompletableFuture<Long> finishChunk(List<Transition> transitions) {
        String[] keys = new String[transitions.size()];
        String[] args = new String[1 + 2 * keys.length];
        args[0] = inflightValue;
        Instant now = clock.instant();
        for (int i = 0; i < keys.length; i++) {
            Transition t = transitions.get(i);
            keys[i] = t.key().redisKey();
            args[1 + 2 * i] = switch (t) {
                case Transition.Release r -> "";
                case Transition.MarkSent m -> SENT;
                case Transition.MarkDone d -> DedupeMark.DONE_PREFIX + d.state();
            };
            args[2 + 2 * i] = t instanceof Transition.Mark m ? Long.toString(markTtl.millis(m.expiresAt(), now)) : "0";
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
        List<CompletableFuture<List<Long>>> calls = new ArrayList<>(keys.size() / CHUNK + 1);
        for (int from = 0; from < keys.size(); from += CHUNK) {
            String[] redisKeys = keys.subList(from, Math.min(keys.size(), from + CHUNK)).stream()
                    .map(DedupeKey::redisKey).toArray(String[]::new);
            calls.add(RENEW.run(redis, ScriptOutputType.MULTI, redisKeys, inflightValue, leaseMillis));
        }
        List<Boolean> out = new ArrayList<>(keys.size());
        await(calls).forEach(chunk -> chunk.forEach(r -> out.add(r == 1L)));
        return out;
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
