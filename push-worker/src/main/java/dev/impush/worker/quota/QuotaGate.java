package dev.impush.worker.quota;

import dev.impush.model.Lane;
import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.channel.VendorApp;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
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

    private final RedisLink.Session connection;
    private final Map<VendorApp, QuotaBucket> buckets = new HashMap<>();
    /** The bulk lane's buckets: the same Redis budget, but a daily ceiling below the chat reserve. */
    private final Map<VendorApp, QuotaBucket> bulkBuckets = new HashMap<>();

    public QuotaGate(RedisLink redis, Map<VendorApp, QuotaLimits> limits, ScheduledExecutorService scheduler, Clock clock) {
        this.connection = redis.connect();
        limits.forEach((c, l) -> {
            QuotaBucket chat = new QuotaBucket(connection.commands(), scheduler, clock, c, l, l.dailyQuota(), null);
            buckets.put(c, chat);
            bulkBuckets.put(c, new QuotaBucket(connection.commands(), scheduler, clock, c, l, l.bulkDailyQuota(), chat));
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
                FunctionCounter.builder(PERMITS, b, QuotaBucket::granted).tags(tags)
                        .description("permits leased from the vendor app's shared budget").register(registry);
                Gauge.builder(WAITING, b, QuotaBucket::waitingCount).tags(tags)
                        .description("sends waiting for a quota permit").register(registry);
            });
        }
        buckets.forEach((app, b) -> {
            Gauge.builder(QPS, b, x -> x.limits.qps()).tag("vendor_app", app.name())
                    .description("configured sends per second of the vendor app (0: unlimited)").register(registry);
            Gauge.builder(DAILY_LIMIT, b, x -> x.limits.dailyQuota()).tag("vendor_app", app.name())
                    .description("configured daily quota of the vendor app (0: unlimited)").register(registry);
            QuotaBucket bulk = bulkBuckets.get(app);
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
        QuotaBucket b = (lane == Lane.BULK ? bulkBuckets : buckets).get(app);
        return b == null ? QuotaBucket.GO : b.acquire();
    }

    /** Gives unused daily permits back (a lease still in flight may strand at most its chunk), then disconnects. */
    @Override
    public void close() {
        buckets.values().forEach(QuotaBucket::release);
        bulkBuckets.values().forEach(QuotaBucket::release);
        connection.close();
    }
}
