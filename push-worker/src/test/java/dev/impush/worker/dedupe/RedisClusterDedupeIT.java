package dev.impush.worker.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.redis.RedisClusterProcess;
import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.Channel;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.channel.VendorApp;
import dev.impush.worker.quota.QuotaGate;
import dev.impush.worker.quota.QuotaLimits;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dedupe and quotas on a Redis Cluster of three masters ({@code redis-server --cluster-enabled yes},
 * joined by {@code redis-cli --cluster create}): a batch's keys span many slots, so each script call
 * takes one slot's keys and the answers come back in the batch's order.
 */
@Timeout(60)
class RedisClusterDedupeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static RedisClusterProcess cluster;
    private static RedisLink link;

    @BeforeAll
    static void start() {
        cluster = RedisClusterProcess.start(3, 0);
        link = RedisConnection.of(cluster.uri()).open(o -> o, TIMEOUT);
    }

    @AfterAll
    static void stop() {
        link.close();
        cluster.close();
    }

    private static DedupeStore store(String owner) {
        return new DedupeStore(link, owner, Duration.ofSeconds(30), Duration.ofHours(1), TIMEOUT, Clock.systemUTC(), true);
    }

    @Test
    void aBatchOverManySlots_isClaimedMarkedAndRenewedInOrder() throws Exception {
        assertTrue(link.clustered());
        int n = DedupeStore.CHUNK * 2 + 300;
        // 400 users: their shards spread the keys over every master
        Instant expiresAt = Instant.now().plusSeconds(3600);
        List<DedupeKey> keys = IntStream.range(0, n).mapToObj(i -> DedupeKey.of("cu" + (i % 400), "m" + i, "d1", expiresAt))
                .toList();
        try (DedupeStore a = store("a"); DedupeStore b = store("b")) {
            assertTrue(a.claim(keys).stream().allMatch(c -> c instanceof Claim.Claimed), "all claimed by a");
            List<Claim> seen = b.claim(keys);
            assertTrue(seen.stream().allMatch(c -> c instanceof Claim.HeldElsewhere h && h.holder().endsWith("a")),
                    "each held by a, in order");
            assertTrue(a.renew(keys).stream().allMatch(Boolean::booleanValue), "a renews all its claims");
            assertTrue(b.renew(keys).stream().noneMatch(Boolean::booleanValue), "b holds none");

            // every other key marked sent, the rest released: the answers must not be shuffled
            List<Transition> transitions = IntStream.range(0, n).mapToObj(i -> i % 2 == 0
                    ? (Transition) new Transition.MarkSent(keys.get(i))
                    : new Transition.Release(keys.get(i))).toList();
            a.apply(transitions).get(5, TimeUnit.SECONDS);
            List<Claim> after = b.claim(keys);
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    assertInstanceOf(Claim.AlreadyDone.class, after.get(i), "key " + i);
                } else {
                    assertInstanceOf(Claim.Claimed.class, after.get(i), "key " + i);
                }
            }
        }
    }

    @Test
    void keysWhoseSlotsMovedSinceTheClientLooked_areClaimedAndMarkedWhereTheyAreNow() throws Exception {
        // a client that never refreshes its view of the cluster: every call goes by the view it started with
        try (RedisLink stale = RedisConnection.of(cluster.uri()).open(o -> ((ClusterClientOptions.Builder) o)
                     .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().disableAllAdaptiveRefreshTriggers().build()), TIMEOUT);
             DedupeStore a = new DedupeStore(stale, "a", Duration.ofSeconds(30), Duration.ofHours(1), TIMEOUT,
                     Clock.systemUTC(), true);
             DedupeStore b = store("b")) {
            int[] movedAndKept = {DedupeKey.slotOf(0), DedupeKey.slotOf(10)};
            int[] seenBefore = stale.masters(movedAndKept);
            assertEquals(seenBefore[0], seenBefore[1], "shards 0 and 10 start on the first master");
            // the first master's lowest 1,500 slots (shards 0 to 5) move to the last one
            RedisServerProcess from = cluster.nodes().getFirst();
            int slots = cluster.slotsOf(from);
            cluster.reshard(from, cluster.nodes().getLast(), 1_500);
            assertEquals(slots - 1_500, cluster.slotsOf(from));
            int[] seenAfter = stale.masters(movedAndKept);
            assertEquals(seenAfter[0], seenAfter[1], "the client still sees shard 0 beside shard 10");

            Instant expiresAt = Instant.now().plusSeconds(3600);
            List<DedupeKey> keys = IntStream.range(0, 1_200).mapToObj(i -> DedupeKey.of("ru" + (i % 400), "m" + i, "d1",
                    expiresAt)).toList();
            assertTrue(keys.stream().anyMatch(k -> k.shard() < 6), "some keys are in the moved slots");
            assertTrue(a.claim(keys).stream().allMatch(c -> c instanceof Claim.Claimed), "all claimed by a");
            assertTrue(b.claim(keys).stream().allMatch(c -> c instanceof Claim.HeldElsewhere h && h.holder().endsWith("a")),
                    "a's claims are where the keys live now, in order");
            a.apply(keys.stream().map(k -> (Transition) new Transition.MarkSent(k)).toList()).get(5, TimeUnit.SECONDS);
            List<Claim> after = b.claim(keys);
            for (int i = 0; i < keys.size(); i++) {
                assertInstanceOf(Claim.AlreadyDone.class, after.get(i), "key " + i);
            }
        }
    }

    @Test
    void quotaBuckets_workOnTheCluster() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try (QuotaGate gate = new QuotaGate(link, Map.of(VendorApp.shared(Channel.XIAOMI), new QuotaLimits(1000, 100, 1000, java.time.ZoneOffset.UTC)), scheduler,
                Clock.systemUTC())) {
            for (int i = 0; i < 20; i++) {
                assertEquals(Optional.empty(), gate.acquire(VendorApp.shared(Channel.XIAOMI)).get(5, TimeUnit.SECONDS), "permit " + i);
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void oneNodesUri_isFoundToBeACluster() {
        String first = cluster.uri().split(",")[0];
        try (RedisLink one = RedisConnection.of(first).open(o -> o, TIMEOUT)) {
            assertTrue(one.clustered(), "auto mode asks the server");
        }
    }

    @Test
    void aModeTheServerContradicts_stopsTheServiceNamingTheKey() {
        String first = cluster.uri().split(",")[0];
        ConfigException standalone = assertThrows(ConfigException.class, () -> RedisConnection.fromEnv(Env.of(Map.of(
                RedisConnection.URI_KEY, first, RedisConnection.MODE_KEY, "standalone"))).open(o -> o, TIMEOUT));
        assertTrue(standalone.getMessage().contains(RedisConnection.MODE_KEY), standalone.getMessage());

        RedisServerProcess plain = RedisServerProcess.start();
        try {
            ConfigException notACluster = assertThrows(ConfigException.class, () -> RedisConnection.fromEnv(Env.of(
                    Map.of(RedisConnection.URI_KEY, plain.uri(), RedisConnection.MODE_KEY, "cluster")))
                    .open(o -> o, TIMEOUT));
            assertTrue(notACluster.getMessage().contains(RedisConnection.MODE_KEY), notACluster.getMessage());
        } finally {
            plain.close();
        }
    }

    @Test
    void seedsThatCannotBeReached_stopTheServiceNamingTheKey() {
        String nobody = "redis://127.0.0.1:" + dev.impush.localstack.Ports.free() + ",redis://127.0.0.1:"
                + dev.impush.localstack.Ports.free();
        ConfigException e = assertThrows(ConfigException.class, () -> RedisConnection.fromEnv(Env.of(Map.of(
                RedisConnection.URI_KEY, nobody))).open(o -> o, TIMEOUT));
        assertTrue(e.getMessage().contains("cannot be reached") && e.getMessage().contains(RedisConnection.URI_KEY),
                e.getMessage());
    }
}
