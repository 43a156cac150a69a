package dev.impush.worker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.Channel;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.LocalRedis;
import dev.impush.worker.TestClock;
import dev.impush.worker.channel.VendorApp;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Budgets shared by replicas, accounted in a real redis-server, with time pinned by the test. */
@Timeout(30)
class QuotaGateIT {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @RegisterExtension
    static final LocalRedis REDIS = new LocalRedis();

    private static List<CompletableFuture<Optional<Instant>>> acquire(QuotaGate gate, Channel c, int n) {
        List<CompletableFuture<Optional<Instant>>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(gate.acquire(VendorApp.shared(c)));
        }
        return all;
    }

    @Test
    void twoReplicas_shareOneBucket_atAFrozenInstant_admitOnlyTheBurst() throws Exception {
        Clock frozen = Clock.fixed(Instant.parse("2026-11-25T08:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(VendorApp.shared(Channel.VIVO), new QuotaLimits(100, 100, 0, SHANGHAI));
        try (QuotaGate a = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), frozen);
             QuotaGate b = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), frozen)) {
            var fromA = acquire(a, Channel.VIVO, 80);
            var fromB = acquire(b, Channel.VIVO, 80);
            Thread.sleep(500); // leases settle; time does not move, so the bucket never refills
            long admitted = fromA.stream().filter(CompletableFuture::isDone).count()
                    + fromB.stream().filter(CompletableFuture::isDone).count();
            assertEquals(100, admitted, "the burst is shared across replicas, not per replica");
        }
    }

    @Test
    void twoAppsOfOneVendor_eachHaveTheirOwnDailyQuota() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC); // a day no other test counts
        VendorApp main = VendorApp.shared(Channel.XIAOMI);
        VendorApp lite = VendorApp.of(Channel.XIAOMI, "com.example.lite");
        var limits = Map.of(main, new QuotaLimits(0, 1, 30, SHANGHAI), lite, new QuotaLimits(0, 1, 20, SHANGHAI));
        try (QuotaGate gate = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock)) {
            List<CompletableFuture<Optional<Instant>>> fromMain = new ArrayList<>();
            List<CompletableFuture<Optional<Instant>>> fromLite = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                fromMain.add(gate.acquire(main));
                fromLite.add(gate.acquire(lite));
            }
            CompletableFuture.allOf(fromMain.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(fromLite.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            assertEquals(30, fromMain.stream().filter(f -> f.join().isEmpty()).count(), "the main app's quota");
            assertEquals(20, fromLite.stream().filter(f -> f.join().isEmpty()).count(),
                    "the lite app's own, not what the main app left");
            MeterRegistry meters = new SimpleMeterRegistry();
            gate.bindTo(meters);
            assertEquals(30, meters.get(QuotaGate.DAILY_USED).tag("vendor_app", "xiaomi").gauge().value(), "what it shows");
            assertEquals(20, meters.get(QuotaGate.DAILY_USED).tag("vendor_app", "xiaomi/com.example.lite").gauge().value());
            assertEquals(30, meters.get(QuotaGate.DAILY_LIMIT).tag("vendor_app", "xiaomi").gauge().value());
            assertEquals(20, meters.get(QuotaGate.PERMITS).tags("vendor_app", "xiaomi/com.example.lite", "lane", "chat")
                    .functionCounter().count());
            assertEquals(0, meters.get(QuotaGate.WAITING).tags("vendor_app", "xiaomi", "lane", "chat").gauge().value());
        }
    }

    @Test
    void dailyQuota_spent_answersTheResetInstant_withoutWaiting() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(VendorApp.shared(Channel.OPPO), new QuotaLimits(0, 1, 50, SHANGHAI));
        try (QuotaGate gate = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock)) {
            var results = acquire(gate, Channel.OPPO, 60);
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            long go = results.stream().filter(f -> f.join().isEmpty()).count();
            assertEquals(50, go);
            Instant reset = Instant.parse("2026-11-25T16:00:00Z"); // midnight in Shanghai
            assertTrue(results.stream().filter(f -> f.join().isPresent()).allMatch(f -> f.join().get().equals(reset)));
            assertEquals(Optional.of(reset), gate.acquire(VendorApp.shared(Channel.OPPO)).get(1, TimeUnit.SECONDS));
        }
    }

    /** Lua calls Redis has served so far (EVAL and EVALSHA), from INFO commandstats. */
    private static long scriptCalls() {
        try (StatefulRedisConnection<String, String> c = REDIS.client().connect()) {
            long calls = 0;
            for (String line : c.sync().info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_eval:") || line.startsWith("cmdstat_evalsha:")) {
                    calls += Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1").trim());
                }
            }
            return calls;
        }
    }

    private static String get(String key) {
        try (StatefulRedisConnection<String, String> c = REDIS.client().connect()) {
            return c.sync().get(key);
        }
    }

    private static void awaitAll(List<CompletableFuture<Optional<Instant>>> all, Duration within) throws Exception {
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void dailyQuotaOnly_leasesChunks_notOneSendPerRoundTrip() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(VendorApp.shared(Channel.XIAOMI), new QuotaLimits(0, 0, 100_000, SHANGHAI));
        try (QuotaGate gate = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock)) {
            long before = scriptCalls();
            long start = System.nanoTime();
            var results = acquire(gate, Channel.XIAOMI, 2_000);
            awaitAll(results, Duration.ofSeconds(20));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long roundTrips = scriptCalls() - before;
            assertTrue(roundTrips <= 2_000 / 50, "2000 sends took " + roundTrips + " lease round trips");
            assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "2000 sends took " + took);
            assertTrue(results.stream().allMatch(f -> f.join().isEmpty()), "the quota is far from spent");
            assertEquals("2000", get("impush:quota:{xiaomi}:day:2026-12-01"), "exactly the sends admitted are counted");
        }
    }

    @Test
    void dailyQuotaOnly_twoReplicas_admitExactlyTheQuota() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(VendorApp.shared(Channel.HUAWEI), new QuotaLimits(0, 0, 1_000, SHANGHAI));
        try (QuotaGate a = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock);
             QuotaGate b = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock)) {
            List<CompletableFuture<Optional<Instant>>> all = new ArrayList<>();
            for (int i = 0; i < 750; i++) { // interleaved, as two busy replicas would
                all.add(a.acquire(VendorApp.shared(Channel.HUAWEI)));
                all.add(b.acquire(VendorApp.shared(Channel.HUAWEI)));
            }
            awaitAll(all, Duration.ofSeconds(5));
            Instant reset = Instant.parse("2026-12-03T16:00:00Z");
            assertEquals(1_000, all.stream().filter(f -> f.join().isEmpty()).count());
            assertEquals(500, all.stream().filter(f -> f.join().equals(Optional.of(reset))).count());
            assertEquals("1000", get("impush:quota:{huawei}:day:2026-12-03"));
        }
    }

    @Test
    void underARate_aDryBucket_isWaitedOnForAChunk_notOneTokenPerRoundTrip() throws Exception {
        var limits = Map.of(VendorApp.shared(Channel.FCM), new QuotaLimits(200, 10, 0, SHANGHAI));
        try (QuotaGate gate = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), Clock.systemUTC())) {
            long before = scriptCalls();
            long start = System.nanoTime();
            var results = acquire(gate, Channel.FCM, 100);
            awaitAll(results, Duration.ofSeconds(10));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            long roundTrips = scriptCalls() - before;
            assertTrue(took.compareTo(Duration.ofMillis(400)) >= 0, "the rate holds: (100 - burst 10) / 200/s, took " + took);
            assertTrue(roundTrips <= 30, "100 sends at 200/s took " + roundTrips + " lease round trips");
        }
    }

    @Test
    void permitsLeasedAhead_lapseAtMidnight_andDoNotCountForTheNewDay() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-05T15:59:59Z")); // 23:59:59 in Shanghai
        var limits = Map.of(VendorApp.shared(Channel.HONOR), new QuotaLimits(1_000, 1_000, 10_000, SHANGHAI));
        try (QuotaGate gate = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock)) {
            assertEquals(Optional.empty(), gate.acquire(VendorApp.shared(Channel.HONOR)).get(1, TimeUnit.SECONDS));
            long leasedBeforeMidnight = Long.parseLong(get("impush:quota:{honor}:day:2026-12-05"));
            assertTrue(leasedBeforeMidnight > 1, "a rate-limited channel leases ahead: " + leasedBeforeMidnight);
            clock.set(Instant.parse("2026-12-05T16:00:01Z"));
            assertEquals(Optional.empty(), gate.acquire(VendorApp.shared(Channel.HONOR)).get(1, TimeUnit.SECONDS));
            assertTrue(get("impush:quota:{honor}:day:2026-12-06") != null,
                    "a send after midnight is counted against the new day, not yesterday's leftovers");
        }
    }

    @Test
    void close_returnsUnusedPermits_toTheDailyCount() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(VendorApp.shared(Channel.MEIZU), new QuotaLimits(1_000, 1_000, 10_000, SHANGHAI));
        try (QuotaGate gate = new QuotaGate(REDIS.link(), limits, REDIS.scheduler(), clock)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(Optional.empty(), gate.acquire(VendorApp.shared(Channel.MEIZU)).get(1, TimeUnit.SECONDS));
            }
        }
        assertEquals("3", get("impush:quota:{meizu}:day:2026-12-07"), "only the sends made stay counted");
    }

    @Test
    void unlimitedChannel_isAdmittedAtOnce() throws Exception {
        try (QuotaGate gate = new QuotaGate(REDIS.link(), Map.of(), REDIS.scheduler(), Clock.systemUTC())) {
            assertEquals(Optional.empty(), gate.acquire(VendorApp.shared(Channel.APNS)).get(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void redisDown_admitsLocally() throws Exception {
        RedisServerProcess other = RedisServerProcess.start();
        RedisLink c = RedisConnection.of(other.uri()).open(o -> o, Duration.ofSeconds(2));
        try (QuotaGate gate = new QuotaGate(c, Map.of(VendorApp.shared(Channel.MEIZU), new QuotaLimits(10, 10, 0, SHANGHAI)),
                REDIS.scheduler(), Clock.systemUTC())) {
            other.kill();
            assertEquals(Optional.empty(), gate.acquire(VendorApp.shared(Channel.MEIZU)).get(10, TimeUnit.SECONDS));
        } finally {
            c.close();
            other.close();
        }
    }
}
