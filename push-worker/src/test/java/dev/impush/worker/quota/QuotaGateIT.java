package dev.impush.worker.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.Channel;
import dev.impush.worker.LocalRedis;
import io.lettuce.core.RedisClient;
import java.time.Clock;
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
            all.add(gate.acquire(c));
        }
        return all;
    }

    @Test
    void twoReplicas_shareOneBucket_atAFrozenInstant_admitOnlyTheBurst() throws Exception {
        Clock frozen = Clock.fixed(Instant.parse("2026-11-25T08:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(Channel.VIVO, new QuotaLimits(100, 100, 0, SHANGHAI));
        try (QuotaGate a = new QuotaGate(REDIS.client(), limits, REDIS.scheduler(), frozen);
             QuotaGate b = new QuotaGate(REDIS.client(), limits, REDIS.scheduler(), frozen)) {
            var fromA = acquire(a, Channel.VIVO, 80);
            var fromB = acquire(b, Channel.VIVO, 80);
            Thread.sleep(500); // leases settle; time does not move, so the bucket never refills
            long admitted = fromA.stream().filter(CompletableFuture::isDone).count()
                    + fromB.stream().filter(CompletableFuture::isDone).count();
            assertEquals(100, admitted, "the burst is shared across replicas, not per replica");
        }
    }

    @Test
    void dailyQuota_spent_answersTheResetInstant_withoutWaiting() throws Exception {
        Clock clock = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
        var limits = Map.of(Channel.OPPO, new QuotaLimits(0, 1, 50, SHANGHAI));
        try (QuotaGate gate = new QuotaGate(REDIS.client(), limits, REDIS.scheduler(), clock)) {
            var results = acquire(gate, Channel.OPPO, 60);
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            long go = results.stream().filter(f -> f.join().isEmpty()).count();
            assertEquals(50, go);
            Instant reset = Instant.parse("2026-11-25T16:00:00Z"); // midnight in Shanghai
            assertTrue(results.stream().filter(f -> f.join().isPresent()).allMatch(f -> f.join().get().equals(reset)));
            assertEquals(Optional.of(reset), gate.acquire(Channel.OPPO).get(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void unlimitedChannel_isAdmittedAtOnce() throws Exception {
        try (QuotaGate gate = new QuotaGate(REDIS.client(), Map.of(), REDIS.scheduler(), Clock.systemUTC())) {
            assertEquals(Optional.empty(), gate.acquire(Channel.APNS).get(1, TimeUnit.SECONDS));
        }
    }

    @Test
    void redisDown_admitsLocally() throws Exception {
        RedisServerProcess other = RedisServerProcess.start();
        RedisClient c = RedisClient.create(other.uri());
        try (QuotaGate gate = new QuotaGate(c, Map.of(Channel.MEIZU, new QuotaLimits(10, 10, 0, SHANGHAI)),
                REDIS.scheduler(), Clock.systemUTC())) {
            other.kill();
            assertEquals(Optional.empty(), gate.acquire(Channel.MEIZU).get(10, TimeUnit.SECONDS));
        } finally {
            c.shutdown();
            other.close();
        }
    }
}
