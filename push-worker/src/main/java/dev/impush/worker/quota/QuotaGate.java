package dev.impush.worker.quota;

import dev.impush.model.Lane;
import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.channel.VendorApp;
import dev.impush.worker.redis.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits sends within each vendor app's global budget. The budget lives in Redis (an atomic Lua
 * token bucket and daily counter per vendor app, shared by all replicas); each replica leases chunks
 * of it, one lease request in flight per vendor app at a time however many sends wait, and admits the
 * waiting sends as soon as a chunk arrives.
 *
 * <p>Chunks follow demand ({@link QuotaLimits#leaseSize}): the sends waiting, up to 256 per round
 * trip, and under a rate at least about 50 ms worth so most sends are admitted locally. A daily
 * quota alone never leases ahead, so the daily count is exact across replicas. Permits leased ahead
 * under a rate are counted against the daily quota when leased; the total never exceeds it, and a
 * replica may hold at most one chunk per lane that other replicas cannot use. Such leftovers lapse at
 * the quota's midnight (they were counted against the day that ended, so the new day's count stays
 * exact) and are given back to the day's counter on {@link #close()}.
 *
 * <p>{@link #acquire} completes with empty when the send may go (possibly after waiting for
 * the bucket to refill), or with the instant the daily quota resets when it is spent: such a send
 * must not reach the vendor and is parked as rate-limited. If Redis does not answer, the waiting
 * sends are admitted locally (fail open): quotas are the vendor's to enforce, and a push must not
 * wait on an accounting outage. Thread-safe.
 */
public final class QuotaGate implements MeterBinder, AutoCloseable {
    public static final String PERMITS = "impush.worker.quota.permits";
    public static final String WAITING = "impush.worker.quota.waiting";
    public static final String DAILY_USED = "impush.worker.quota.daily.used";
    public static final String DAILY_LIMIT = "impush.worker.quota.daily.limit";
    public static final String QPS = "impush.worker.quota.qps";

    private static final Logger LOG = LoggerFactory.getLogger(QuotaGate.class);
    private static final CompletableFuture<Optional<Instant>> GO = CompletableFuture.completedFuture(Optional.empty());
    /** How often a bulk lease that yields to waiting chat sends looks again. */
    private static final long YIELD_RECHECK_MS = 2;

    private final RedisLink.Session connection;
    private final Map<VendorApp, Bucket> buckets = new HashMap<>();
    /** The bulk lane's buckets: the same Redis budget, but a daily ceiling below the chat reserve. */
    private final Map<VendorApp, Bucket> bulkBuckets = new HashMap<>();
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private static final LuaScript LEASE = LuaScript.load(QuotaGate.class, "lease.lua");
    private static final LuaScript RELEASE = LuaScript.load(QuotaGate.class, "release.lua");

    public QuotaGate(RedisLink redis, Map<VendorApp, QuotaLimits> limits, ScheduledExecutorService scheduler, Clock clock) {
        this.connection = redis.connect();
        this.scheduler = scheduler;
        this.clock = clock;
        limits.forEach((c, l) -> {
            Bucket chat = new Bucket(c, l, l.dailyQuota(), null);
            buckets.put(c, chat);
            bulkBuckets.put(c, new Bucket(c, l, l.bulkDailyQuota(), chat));
        });
        limits.forEach((c, l) -> LOG.info("quota for {}: {}", c, l));
    }

    /**
     * Per vendor app with a quota: permits leased from the shared budget and sends waiting for one (per
     * lane), the configured rate and daily quota, and the day's count across all replicas as of this
     * replica's last lease (its max over replicas is the vendor app's use today).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        for (Lane lane : Lane.values()) {
            (lane == Lane.BULK ? bulkBuckets : buckets).forEach((app, b) -> {
                String[] tags = {"vendor_app", app.name(), "lane", lane.name().toLowerCase()};
                FunctionCounter.builder(PERMITS, b, Bucket::granted).tags(tags)
                        .description("permits leased from the vendor app's shared budget").register(registry);
                Gauge.builder(WAITING, b, Bucket::waitingCount).tags(tags)
                        .description("sends waiting for a quota permit").register(registry);
            });
        }
        buckets.forEach((app, b) -> {
            Gauge.builder(QPS, b, x -> x.limits.qps()).tag("vendor_app", app.name())
                    .description("configured sends per second of the vendor app (0: unlimited)").register(registry);
            Gauge.builder(DAILY_LIMIT, b, x -> x.limits.dailyQuota()).tag("vendor_app", app.name())
                    .description("configured daily quota of the vendor app (0: unlimited)").register(registry);
            Bucket bulk = bulkBuckets.get(app);
            Gauge.builder(DAILY_USED, b, x -> Math.max(x.dayUsed(), bulk.dayUsed())).tag("vendor_app", app.name())
                    .description("today's count of the daily quota, as of this replica's last lease").register(registry);
        });
    }

    /** As {@link #acquire(VendorApp, Lane)} for the chat lane. */
    public CompletableFuture<Optional<Instant>> acquire(VendorApp app) {
        return acquire(app, Lane.CHAT);
    }

    /**
     * Empty: send now. Present: the daily quota is spent until that instant; for the bulk lane, the
     * part of it left to bulk ({@link QuotaLimits#bulkDailyQuota()}): the rest is kept for chat. Each
     * lane waits in its own queue, and the bulk lane asks the shared budget for permits only while no
     * chat send waits: a chat send never waits behind bulk sends for a permit.
     */
    public CompletableFuture<Optional<Instant>> acquire(VendorApp app, Lane lane) {
        Bucket b = (lane == Lane.BULK ? bulkBuckets : buckets).get(app);
        return b == null ? GO : b.acquire();
    }

    /** The day a daily quota counts {@code now} in, and the instant it ends. */
    private record QuotaDay(LocalDate date, long endsAt) {
        static QuotaDay of(Instant now, QuotaLimits limits) {
            LocalDate date = now.atZone(limits.resetZone()).toLocalDate();
            return new QuotaDay(date, date.plusDays(1).atStartOfDay(limits.resetZone()).toInstant().toEpochMilli());
        }
    }

    private final class Bucket {
        private final VendorApp app;
        private final QuotaLimits limits;
        /** The daily count at which this bucket's lane is spent: the quota, or bulk's part of it. */
        private final long dailyLimit;
        /** For the bulk lane: the chat lane's bucket, while which has sends waiting this one leases nothing. */
        private final Bucket yieldsTo;
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

        Bucket(VendorApp app, QuotaLimits limits, long dailyLimit, Bucket yieldsTo) {
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
            LEASE.<List<Object>>run(connection.commands(), ScriptOutputType.MULTI,
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
                RELEASE.run(connection.commands(), ScriptOutputType.INTEGER,
                        new String[] {key + ":day:" + day.date()}, Long.toString(unused)).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                LOG.info("{} unused {} permits lapse with today's quota: {}", unused, app, e.toString());
            }
        }
    }

    /** Gives unused daily permits back (a lease still in flight may strand at most its chunk), then disconnects. */
    @Override
    public void close() {
        buckets.values().forEach(Bucket::release);
        bulkBuckets.values().forEach(Bucket::release);
        connection.close();
    }
}
