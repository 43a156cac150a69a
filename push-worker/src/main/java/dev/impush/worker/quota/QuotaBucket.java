package dev.impush.worker.quota;

import dev.impush.worker.channel.VendorApp;
import dev.impush.worker.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisScriptingAsyncCommands;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lane's share of a vendor app's quota in this replica: the sends waiting for a permit and the
 * permits leased from the shared budget in Redis and not used yet; one lease in flight at a time.
 * See {@link QuotaGate}. Thread-safe.
 */
final class QuotaBucket {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaBucket.class);
    static final CompletableFuture<Optional<Instant>> GO = CompletableFuture.completedFuture(Optional.empty());
    /** How often a bulk lease that yields to waiting chat sends looks again. */
    private static final long YIELD_RECHECK_MS = 2;
    private static final LuaScript LEASE = LuaScript.load(QuotaGate.class, "lease.lua");
    private static final LuaScript RELEASE = LuaScript.load(QuotaGate.class, "release.lua");

    private final RedisScriptingAsyncCommands<String, String> redis;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final VendorApp app;
    final QuotaLimits limits;
    /** The daily count at which this bucket's lane is spent: the quota, or bulk's part of it. */
    private final long dailyLimit;
    /** For the bulk lane: the chat lane's bucket, while which has sends waiting this one leases nothing. */
    private final QuotaBucket yieldsTo;
    private final String key;
    private final ArrayDeque<CompletableFuture<Optional<Instant>>> waiting = new ArrayDeque<>();
    /** Permits leased from Redis (so counted there) and not used yet. */
    private long available;
    /** The day {@link #available} was counted against; null without a daily quota. */
    private QuotaDay leasedFor;
    private Instant spentUntil;
    private boolean leasing;
    /** Permits Redis granted this bucket, ever; the day's count after the last lease (metrics). */
    private long granted;
    private long dayUsed;

    QuotaBucket(RedisScriptingAsyncCommands<String, String> redis, ScheduledExecutorService scheduler, Clock clock,
                VendorApp app, QuotaLimits limits, long dailyLimit, QuotaBucket yieldsTo) {
        this.redis = redis;
        this.scheduler = scheduler;
        this.clock = clock;
        this.app = app;
        this.limits = limits;
        this.dailyLimit = dailyLimit;
        this.yieldsTo = yieldsTo;
        this.key = "impush:quota:{" + app.name() + "}";
    }

    synchronized CompletableFuture<Optional<Instant>> acquire() {
        if (spentUntil != null) {
            if (clock.instant().isBefore(spentUntil)) {
                return CompletableFuture.completedFuture(Optional.of(spentUntil));
            }
            spentUntil = null;
        }
        if (available > 0 && leasedFor != null && clock.millis() >= leasedFor.endsAt()) {
            available = 0; // counted against a day that has ended: lapse, so today's count stays exact
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

    synchronized boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    synchronized int waitingCount() {
        return waiting.size();
    }

    synchronized long granted() {
        return granted;
    }

    synchronized long dayUsed() {
        return dayUsed;
    }

    private void lease() {
        if (yieldsTo != null && yieldsTo.hasWaiting()) {
            try {
                scheduler.schedule(this::lease, YIELD_RECHECK_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (RejectedExecutionException closing) {
                // the worker is stopping: lease now rather than never
            }
        }
        int want;
        int batch;
        synchronized (this) {
            want = limits.leaseSize(waiting.size());
            batch = Math.max(1, Math.min(waiting.size(), limits.leaseAhead()));
        }
        Instant now = clock.instant();
        QuotaDay day = QuotaDay.of(now, limits);
        LEASE.<List<Object>>run(redis, ScriptOutputType.MULTI,
                        new String[] {key + ":bucket", key + ":day:" + day.date()},
                        Double.toString(limits.qps()), Long.toString(limits.burst()),
                        Long.toString(now.toEpochMilli()), Integer.toString(want),
                        Long.toString(dailyLimit), Long.toString(day.endsAt()), Integer.toString(batch))
                .orTimeout(2, TimeUnit.SECONDS)
                .whenComplete((reply, failure) -> granted(reply, failure, day));
    }

    private void granted(List<Object> reply, Throwable failure, QuotaDay day) {
        List<CompletableFuture<Optional<Instant>>> go = new ArrayList<>();
        List<CompletableFuture<Optional<Instant>>> spent = new ArrayList<>();
        long waitMs = 0;
        boolean again;
        synchronized (this) {
            if (failure != null) {
                // fail open for the sends waiting, no more: leftovers are only ever permits Redis counted
                LOG.warn("quota store unavailable, admitting {} {} sends locally: {}", waiting.size(),
                        app, failure.toString());
                go.addAll(waiting);
                waiting.clear();
            } else if ((Long) reply.get(0) < 0) {
                spentUntil = Instant.ofEpochMilli(day.endsAt());
                available = 0;
                dayUsed = (Long) reply.get(2);
                spent.addAll(waiting);
                waiting.clear();
            } else {
                available += (Long) reply.get(0);
                granted += (Long) reply.get(0);
                waitMs = (Long) reply.get(1);
                dayUsed = (Long) reply.get(2);
                leasedFor = dailyLimit > 0 ? day : null;
                while (available > 0 && !waiting.isEmpty()) {
                    available--;
                    go.add(waiting.poll());
                }
            }
            again = !waiting.isEmpty();
            leasing = again;
        }
        go.forEach(f -> f.complete(Optional.empty()));
        Optional<Instant> until = Optional.of(Instant.ofEpochMilli(day.endsAt()));
        spent.forEach(f -> f.complete(until));
        if (!again) {
            return;
        }
        if (waitMs <= 0 && !go.isEmpty()) {
            lease(); // more sends came while this lease was out: the next chunk at once, no timer hop
        } else {
            scheduler.schedule(this::lease, Math.max(1, waitMs), TimeUnit.MILLISECONDS);
        }
    }

    /** Gives the unused permits back to today's counter, for the replicas that stay. */
    void release() {
        long unused;
        QuotaDay day;
        synchronized (this) {
            unused = available;
            day = leasedFor;
            available = 0;
        }
        if (unused == 0 || day == null || clock.millis() >= day.endsAt()) {
            return; // nothing counted, or counted against a day that has ended
        }
        try {
            RELEASE.run(redis, ScriptOutputType.INTEGER,
                    new String[] {key + ":day:" + day.date()}, Long.toString(unused)).get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.info("{} unused {} permits lapse with today's quota: {}", unused, app, e.toString());
        }
    }

    /** The day a daily quota counts {@code now} in, and the instant it ends. */
    record QuotaDay(LocalDate date, long endsAt) {
        static QuotaDay of(Instant now, QuotaLimits limits) {
            LocalDate date = now.atZone(limits.resetZone()).toLocalDate();
            return new QuotaDay(date, date.plusDays(1).atStartOfDay(limits.resetZone()).toInstant().toEpochMilli());
        }
    }
}
