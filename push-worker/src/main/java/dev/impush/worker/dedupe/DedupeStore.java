package dev.impush.worker.dedupe;

import dev.impush.model.job.PushTarget;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The per-(message, device) dedupe state machine in Redis:
 * <pre>
 *   (absent) --claim--> inflight:&lt;owner&gt; (lease) --MarkSent--> sent (mark TTL)
 *                                                   --MarkDone--> done:&lt;why&gt; (mark TTL)
 *                                                   --Release--> (absent)
 * </pre>
 * A mark lives until its job expires plus a margin, at most the sent TTL ({@link MarkTtl}).
 * {@link #claim} and {@link #finish} are one pipelined round trip for a whole batch; they are not
 * thread-safe and belong to the poll thread, the only user of their connection (auto-flush off).
 * {@link #finishNow} is thread-safe: it applies one transition the moment a vendor answers, on a
 * second connection, so a crash right after a send rarely leaves it unmarked.
 */
public final class DedupeStore implements AutoCloseable {
    private static final String SENT = "sent";
    /** Keys per claim or mark script call: bounds how long one call holds Redis (about a millisecond). */
    static final int CHUNK = 500;

    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> redis;
    private final StatefulRedisConnection<String, String> eager;
    private final java.util.Queue<Queued> queued = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "impush-dedupe-writer");
                t.setDaemon(true);
                return t;
            });
    private final String inflightValue;
    private final String leaseMillis;
    private final MarkTtl markTtl;
    private final Clock clock;
    private final Duration timeout;
    private final String claimScript = script("claim.lua");
    private final String releaseScript = script("release.lua");
    private final String markScript = script("mark.lua");
    private final String renewScript = script("renew.lua");
    private final Duration lease;
    private String claimSha;
    private String releaseSha;

    /**
     * @param owner   this worker incarnation (unique per process start), written into claims
     * @param lease   how long a claim holds before another worker may take it; longer than a send
     * @param sentTtl the longest a sent (or done) mark blocks re-sends; each lives as long as its job
     *                can turn up again plus a margin, and a job without expiry this long
     * @param clock   tells how long a job has left
     */
    public DedupeStore(RedisClient client, String owner, Duration lease, Duration sentTtl, Duration timeout,
                       Clock clock) {
        this.connection = client.connect(StringCodec.UTF8);
        this.connection.setAutoFlushCommands(false);
        this.redis = connection.async();
        this.eager = client.connect(StringCodec.UTF8);
        this.eager.setAutoFlushCommands(false);
        this.inflightValue = "inflight:" + owner;
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

    /**
     * Claims every key, in order; with {@code targets} (each key's device), a key whose token the
     * shield holds ({@link #shield}, not registered again since) is {@link Claim.Shielded} instead.
     * One round trip: one script call per {@link #CHUNK} keys.
     */
    public List<Claim> claim(List<DedupeKey> keys, List<PushTarget> targets) throws DedupeUnavailableException {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<Object> replies = withScripts(() -> claimOnce(keys, targets));
        List<Claim> claims = new ArrayList<>(keys.size());
        for (int i = 0; i < replies.size(); i++) {
            if (replies.get(i) instanceof String current) {
                long pttl = Math.max(0, (Long) replies.get(++i));
                claims.add(current.startsWith("inflight:")
                        ? new Claim.HeldElsewhere(current.substring("inflight:".length()), Duration.ofMillis(pttl))
                        : current.startsWith(SHIELD)
                        ? new Claim.Shielded(Instant.ofEpochMilli(Long.parseLong(current.substring(SHIELD.length()))))
                        : new Claim.AlreadyDone(current));
            } else {
                claims.add(Claim.CLAIMED);
            }
        }
        return claims;
    }

    /** The claim script's replies for every key, flattened in key order (see claim.lua). */
    @SuppressWarnings("unchecked")
    private List<Object> claimOnce(List<DedupeKey> keys, List<PushTarget> targets) throws DedupeUnavailableException {
        String sha = claimSha();
        List<RedisFuture<List<Object>>> futures = new ArrayList<>(keys.size() / CHUNK + 1);
        for (int from = 0; from < keys.size(); from += CHUNK) {
            int n = Math.min(keys.size(), from + CHUNK) - from;
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
            futures.add(redis.evalsha(sha, ScriptOutputType.MULTI, redisKeys, args));
        }
        connection.flushCommands();
        awaitAll(futures);
        List<Object> out = new ArrayList<>(keys.size());
        for (RedisFuture<List<Object>> f : futures) {
            out.addAll(f.toCompletableFuture().getNow(List.of()));
        }
        return out;
    }

    /** Applies every transition. One round trip. */
    public void finish(List<Transition> transitions) throws DedupeUnavailableException {
        List<Transition> marks = new ArrayList<>(transitions.size());
        List<DedupeKey> releases = new ArrayList<>();
        for (Transition t : transitions) {
            if (t instanceof Transition.Release r) {
                releases.add(r.key());
            } else {
                marks.add(t);
            }
        }
        List<RedisFuture<Long>> futures = new ArrayList<>();
        for (int from = 0; from < marks.size(); from += CHUNK) {
            futures.add(mark(redis, marks.subList(from, Math.min(marks.size(), from + CHUNK))));
        }
        connection.flushCommands();
        awaitAll(futures);
        if (!releases.isEmpty()) {
            withScripts(() -> releaseOnce(releases));
        }
    }

    /** One call of mark.lua for {@code marks} (no releases among them). */
    private RedisFuture<Long> mark(RedisAsyncCommands<String, String> r, List<Transition> marks) {
        String[] keys = new String[marks.size()];
        String[] args = new String[marks.size() * 2];
        Instant now = clock.instant();
        for (int i = 0; i < keys.length; i++) {
            if (!(marks.get(i) instanceof Transition.Mark m)) {
                throw new IllegalArgumentException("a release is not a mark");
            }
            keys[i] = m.key().redisKey();
            args[2 * i] = switch (m) {
                case Transition.MarkSent s -> SENT;
                case Transition.MarkDone d -> "done:" + d.state();
            };
            args[2 * i + 1] = Long.toString(markTtl.millis(m.expiresAt(), now));
        }
        return r.eval(markScript, ScriptOutputType.INTEGER, keys, args);
    }

    /**
     * Raises the token shield: the vendor declared {@code token} of {@code userId}'s device invalid
     * at {@code invalidatedAt}, so every replica's claims refuse it from now on for {@link #SHIELD_TTL},
     * unless the device registered it again after that. Asynchronous and best effort (a failure is
     * logged: the detector still removes the device); never blocks the caller.
     */
    public void shield(String userId, dev.impush.model.Channel channel, String token, Instant invalidatedAt) {
        String key = DedupeKey.shieldKey(userId, channel, token);
        RedisFuture<String> set = eager.async().set(key, Long.toString(invalidatedAt.toEpochMilli()),
                io.lettuce.core.SetArgs.Builder.px(SHIELD_TTL.toMillis()));
        eager.flushCommands(); // the writer thread flushes the same connection: commands are thread-safe
        set.whenComplete((ok, e) -> {
            if (e != null) {
                org.slf4j.LoggerFactory.getLogger(DedupeStore.class).warn("token shield not raised: {}", e.toString());
            }
        });
    }

    /** How long a token stays shielded: longer than any job's lifetime and any app's reinstall gap. */
    public static final Duration SHIELD_TTL = Duration.ofDays(30);
    private static final String SHIELD = "shield:";

    /** How long a claim holds unless renewed. */
    public Duration lease() {
        return lease;
    }

    /**
     * Extends the claims this worker still holds to a full lease again, in order; false for a key
     * whose claim is no longer ours (it ran out, and perhaps another worker took it). One round trip.
     */
    public List<Boolean> renew(List<DedupeKey> keys) throws DedupeUnavailableException {
        List<RedisFuture<List<Long>>> futures = new ArrayList<>(keys.size() / CHUNK + 1);
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<DedupeKey> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
            String[] redisKeys = chunk.stream().map(DedupeKey::redisKey).toArray(String[]::new);
            futures.add(redis.eval(renewScript, ScriptOutputType.MULTI, redisKeys, inflightValue, leaseMillis));
        }
        connection.flushCommands();
        awaitAll(futures);
        List<Boolean> out = new ArrayList<>(keys.size());
        for (RedisFuture<List<Long>> f : futures) {
            f.toCompletableFuture().getNow(List.of()).forEach(r -> out.add(r == 1L));
        }
        return out;
    }

    /** The current state of each key ({@code sent}, {@code done:...}, {@code inflight:...}) or null. One round trip. */
    public List<String> peek(List<DedupeKey> keys) throws DedupeUnavailableException {
        List<RedisFuture<String>> futures = new ArrayList<>(keys.size());
        for (DedupeKey k : keys) {
            futures.add(redis.get(k.redisKey()));
        }
        connection.flushCommands();
        awaitAll(futures);
        return futures.stream().map(f -> f.toCompletableFuture().getNow(null)).toList();
    }

    /**
     * Applies one transition as soon as possible; the future fails when Redis does not confirm it.
     * Thread-safe and cheap for the caller (a vendor client's event loop): transitions queue up
     * and one writer thread sends whatever has queued as one pipelined batch.
     */
    public CompletableFuture<Void> finishNow(Transition transition) {
        Queued q = new Queued(transition, new CompletableFuture<>());
        queued.add(q);
        if (writing.compareAndSet(false, true)) {
            writer.execute(this::writeQueued);
        }
        return q.done();
    }

    private record Queued(Transition transition, CompletableFuture<Void> done) {}

    private void writeQueued() {
        while (true) {
            RedisAsyncCommands<String, String> r = eager.async();
            List<Queued> marks = new ArrayList<>();
            for (Queued q; (q = queued.poll()) != null; ) {
                if (q.transition() instanceof Transition.Release rel) {
                    settle(r.eval(releaseScript, ScriptOutputType.INTEGER, new String[] {rel.key().redisKey()},
                            inflightValue), List.of(q));
                } else {
                    marks.add(q);
                    if (marks.size() == CHUNK) {
                        settle(mark(r, marks.stream().map(Queued::transition).toList()), marks);
                        marks = new ArrayList<>();
                    }
                }
            }
            if (!marks.isEmpty()) {
                settle(mark(r, marks.stream().map(Queued::transition).toList()), marks);
            }
            eager.flushCommands();
            writing.set(false);
            if (queued.isEmpty() || !writing.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** Completes the callers of {@code queued} when {@code call} is confirmed, fails them when it is not. */
    private void settle(RedisFuture<?> call, List<Queued> queued) {
        call.toCompletableFuture().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((v, e) -> {
            for (Queued q : queued) {
                if (e == null) {
                    q.done().complete(null);
                } else {
                    q.done().completeExceptionally(e);
                }
            }
        });
    }

    private interface RedisCall<T> {
        T call() throws DedupeUnavailableException;
    }

    /** Runs {@code call}, and once more after reloading the scripts if Redis lost them. */
    private <T> T withScripts(RedisCall<T> call) throws DedupeUnavailableException {
        try {
            return call.call();
        } catch (DedupeUnavailableException e) {
            if (e.getCause() instanceof RedisNoScriptException) {
                // Redis restarted (or SCRIPT FLUSH): load the scripts again and redo the batch once.
                claimSha = null;
                releaseSha = null;
                return call.call();
            }
            throw e;
        }
    }

    private Void releaseOnce(List<DedupeKey> keys) throws DedupeUnavailableException {
        String sha = releaseSha();
        List<RedisFuture<Long>> futures = new ArrayList<>(keys.size());
        for (DedupeKey k : keys) {
            futures.add(redis.evalsha(sha, ScriptOutputType.INTEGER, new String[] {k.redisKey()}, inflightValue));
        }
        connection.flushCommands();
        awaitAll(futures);
        return null;
    }

    private String claimSha() throws DedupeUnavailableException {
        if (claimSha == null) {
            claimSha = load(claimScript);
        }
        return claimSha;
    }

    private String releaseSha() throws DedupeUnavailableException {
        if (releaseSha == null) {
            releaseSha = load(releaseScript);
        }
        return releaseSha;
    }

    private String load(String body) throws DedupeUnavailableException {
        RedisFuture<String> f = redis.scriptLoad(body);
        connection.flushCommands();
        awaitAll(List.of(f));
        return f.toCompletableFuture().getNow(null);
    }

    private void awaitAll(List<? extends RedisFuture<?>> futures) throws DedupeUnavailableException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (RedisFuture<?> f : futures) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new DedupeUnavailableException("redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new DedupeUnavailableException("redis did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DedupeUnavailableException("interrupted", e);
        }
    }

    private static String script(String name) {
        try (InputStream in = DedupeStore.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing script " + name, e);
        }
    }

    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eager.close();
        connection.close();
    }
}
