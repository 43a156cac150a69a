package dev.impush.worker.quota;

import dev.impush.model.Channel;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits sends within each vendor app's global budget. The budget lives in Redis (an atomic Lua
 * token bucket and daily counter per channel, shared by all replicas); each replica leases small
 * chunks of it (about 50 ms worth) so most sends are admitted locally without a round trip, and
 * one lease request is in flight per channel at a time however many sends wait.
 *
 * <p>{@link #acquire} completes with empty when the send may go (possibly after waiting for
 * the bucket to refill), or with the instant the daily quota resets when it is spent: such a send
 * must not reach the vendor and is parked as rate-limited. If Redis does not answer, the lease is
 * granted locally (fail open): quotas are the vendor's to enforce, and a push must not wait on an
 * accounting outage. Thread-safe.
 */
public final class QuotaGate implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaGate.class);
    private static final CompletableFuture<Optional<Instant>> GO = CompletableFuture.completedFuture(Optional.empty());

    private final StatefulRedisConnection<String, String> connection;
    private final Map<Channel, Bucket> buckets = new EnumMap<>(Channel.class);
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final String script;

    public QuotaGate(RedisClient client, Map<Channel, QuotaLimits> limits, ScheduledExecutorService scheduler, Clock clock) {
        this.connection = client.connect(StringCodec.UTF8);
        this.scheduler = scheduler;
        this.clock = clock;
        this.script = load();
        limits.forEach((c, l) -> buckets.put(c, new Bucket(c, l)));
        limits.forEach((c, l) -> LOG.info("quota for {}: {}", c.wireName(), l));
    }

    /** Whether {@code channel} has a budget to respect. */
    public boolean limits(Channel channel) {
        return buckets.containsKey(channel);
    }

    /** Empty: send now. Present: the daily quota is spent until that instant. */
    public CompletableFuture<Optional<Instant>> acquire(Channel channel) {
        Bucket b = buckets.get(channel);
        return b == null ? GO : b.acquire();
    }

    private final class Bucket {
        private final Channel channel;
        private final QuotaLimits limits;
        private final int chunk;
        private final ArrayDeque<CompletableFuture<Optional<Instant>>> waiting = new ArrayDeque<>();
        private long available;
        private Instant spentUntil;
        private boolean leasing;

        Bucket(Channel channel, QuotaLimits limits) {
            this.channel = channel;
            this.limits = limits;
            this.chunk = (int) Math.max(1, Math.min(limits.burst(), limits.qps() > 0 ? limits.qps() / 20 : 100));
        }

        synchronized CompletableFuture<Optional<Instant>> acquire() {
            if (spentUntil != null) {
                if (clock.instant().isBefore(spentUntil)) {
                    return CompletableFuture.completedFuture(Optional.of(spentUntil));
                }
                spentUntil = null;
            }
            if (available > 0) {
                available--;
                return GO;
            }
            CompletableFuture<Optional<Instant>> f = new CompletableFuture<>();
            waiting.add(f);
            if (!leasing) {
                leasing = true;
                lease();
            }
            return f;
        }

        private void lease() {
            int want;
            synchronized (this) {
                want = Math.max(chunk, Math.min(waiting.size(), (int) limits.burst()));
            }
            Instant now = clock.instant();
            LocalDate today = now.atZone(limits.resetZone()).toLocalDate();
            long reset = today.plusDays(1).atStartOfDay(limits.resetZone()).toInstant().toEpochMilli();
            String tag = "impush:quota:{" + channel.wireName() + "}";
            connection.async().<List<Object>>eval(script, ScriptOutputType.MULTI,
                            new String[] {tag + ":bucket", tag + ":day:" + today},
                            Double.toString(limits.qps()), Long.toString(limits.burst()),
                            Long.toString(now.toEpochMilli()), Integer.toString(want),
                            Long.toString(limits.dailyQuota()), Long.toString(reset))
                    .toCompletableFuture()
                    .orTimeout(2, TimeUnit.SECONDS)
                    .whenComplete((reply, failure) -> granted(reply, failure, want, reset));
        }

        private void granted(List<Object> reply, Throwable failure, int want, long reset) {
            long grant;
            long waitMs;
            if (failure != null) {
                LOG.warn("quota store unavailable, admitting {} {} sends locally: {}", want, channel.wireName(),
                        failure.toString());
                grant = want;
                waitMs = 0;
            } else {
                grant = (Long) reply.get(0);
                waitMs = (Long) reply.get(1);
            }
            List<CompletableFuture<Optional<Instant>>> go = new java.util.ArrayList<>();
            List<CompletableFuture<Optional<Instant>>> spent = new java.util.ArrayList<>();
            boolean again;
            synchronized (this) {
                if (grant < 0) {
                    spentUntil = Instant.ofEpochMilli(reset);
                    spent.addAll(waiting);
                    waiting.clear();
                } else {
                    available += grant;
                    while (available > 0 && !waiting.isEmpty()) {
                        available--;
                        go.add(waiting.poll());
                    }
                }
                again = !waiting.isEmpty();
                leasing = again;
            }
            go.forEach(f -> f.complete(Optional.empty()));
            Optional<Instant> until = Optional.of(Instant.ofEpochMilli(reset));
            spent.forEach(f -> f.complete(until));
            if (again) {
                scheduler.schedule(this::lease, Math.max(1, waitMs), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static String load() {
        try (InputStream in = QuotaGate.class.getResourceAsStream("lease.lua")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing lease.lua", e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
