package dev.impush.worker.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.Polling;
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
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
            String[] seenBefore = stale.masters(movedAndKept);
            assertEquals(seenBefore[0], seenBefore[1], "shards 0 and 10 start on the first master");
            // the first master's lowest 1,500 slots (shards 0 to 5) move to the last one
            RedisServerProcess from = cluster.nodes().getFirst();
            int slots = cluster.slotsOf(from);
            cluster.reshard(from, cluster.nodes().getLast(), 1_500);
            assertEquals(slots - 1_500, cluster.slotsOf(from));
            String[] seenAfter = stale.masters(movedAndKept);
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

    /**
     * A slot in the middle of a move, as {@code redis-cli --cluster reshard} leaves it between its
     * steps: the source serves the keys it still has, the importing master those already moved. A
     * claim or mark must read and write each key where it lives: a call that ended up on the importing
     * master for keys the source still holds would miss their marks (a second push) and write a second
     * copy, on which the move stops ("Target key exists").
     */
    @Test
    void aSlotBeingMoved_isReadAndWrittenWhereEachKeyLives() throws Exception {
        int shard = 40;
        int slot = DedupeKey.slotOf(shard);
        RedisServerProcess to = cluster.nodes().stream().filter(n -> n != cluster.masterOf(slot)).findFirst().orElseThrow();
        Instant expiresAt = Instant.now().plusSeconds(3600);
        List<DedupeKey> inShard = IntStream.range(0, 50_000).mapToObj(i -> DedupeKey.of("mv" + i, "m", "d1", expiresAt))
                .filter(k -> k.shard() == shard).limit(90).toList();
        List<DedupeKey> sent = inShard.subList(0, 30);
        List<DedupeKey> held = inShard.subList(30, 60);
        List<DedupeKey> fresh = inShard.subList(60, 90);
        Duration patient = Duration.ofSeconds(20);
        try (DedupeStore a = new DedupeStore(link, "a", Duration.ofSeconds(60), Duration.ofHours(1), patient, Clock.systemUTC(), true);
             DedupeStore b = new DedupeStore(link, "b", Duration.ofSeconds(60), Duration.ofHours(1), patient, Clock.systemUTC(), true)) {
            assertTrue(a.claim(inShard.subList(0, 60)).stream().allMatch(Claim.Claimed.class::isInstance));
            a.apply(sent.stream().map(k -> (Transition) new Transition.MarkSent(k)).toList()).get(5, TimeUnit.SECONDS);
            long tryAgainBefore = tryAgainAnswers();

            RedisServerProcess from = cluster.beginSlotMove(slot, to);
            // each call starts with a key the source does not have: routed by it, it would be sent on with ASK
            List<DedupeKey> claimed = new ArrayList<>(List.of(fresh.getFirst()));
            claimed.addAll(sent);
            CompletableFuture<List<Claim>> claims = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.claim(claimed);
                } catch (DedupeUnavailableException e) {
                    throw new CompletionException(e);
                }
            });
            List<Transition> marks = new ArrayList<>(List.of(new Transition.Release(fresh.get(1))));
            held.forEach(k -> marks.add(new Transition.MarkSent(k)));
            CompletableFuture<Void> marked = a.apply(marks);
            // new keys wait for the move (TRYAGAIN: Redis cannot tell where they belong until it ends)
            Polling.until(Duration.ofSeconds(10), () -> claims.isDone() || tryAgainAnswers() > tryAgainBefore,
                    "neither answered nor waiting for the move");

            cluster.moveKeys(slot, from, to); // fails on a key written in both places
            cluster.endSlotMove(slot, to);
            List<Claim> answers = claims.get(15, TimeUnit.SECONDS);
            assertInstanceOf(Claim.Claimed.class, answers.getFirst(), "the new delivery is claimed");
            for (int i = 1; i < answers.size(); i++) {
                assertInstanceOf(Claim.AlreadyDone.class, answers.get(i), "a delivery marked before the move, " + i);
            }
            marked.get(15, TimeUnit.SECONDS);
            assertTrue(b.claim(held).stream().allMatch(Claim.AlreadyDone.class::isInstance), "marked during the move");
        }
    }

    /** TRYAGAIN answers every master gave so far. */
    private static long tryAgainAnswers() {
        long count = 0;
        for (RedisServerProcess node : cluster.nodes()) {
            RedisClient client = RedisClient.create(node.uri());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                count += c.sync().info("errorstats").lines().filter(l -> l.startsWith("errorstat_TRYAGAIN:count="))
                        .mapToLong(l -> Long.parseLong(l.substring("errorstat_TRYAGAIN:count=".length()).trim())).sum();
            } finally {
                client.shutdown();
            }
        }
        return count;
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
