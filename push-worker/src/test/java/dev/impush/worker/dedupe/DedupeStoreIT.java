package dev.impush.worker.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.dedupe.DedupeMark;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.CommandType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dedupe state machine against a real redis-server. */
@Timeout(30)
class DedupeStoreIT {
    private static RedisServerProcess redis;
    /** What the stores use. */
    private static RedisLink link;
    /** Raw access for the assertions. */
    private static RedisClient client;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        link = RedisConnection.of(redis.uri()).open(o -> o
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(1))), Duration.ofSeconds(1));
        client = RedisClient.create(redis.uri());
    }

    @AfterAll
    static void stop() {
        client.shutdown();
        link.close();
        redis.close();
    }

    private static DedupeStore store(String owner, Duration lease) {
        return store(owner, lease, Duration.ofHours(1));
    }

    private static DedupeStore store(String owner, Duration lease, Duration sentTtl) {
        return new DedupeStore(link, owner, lease, sentTtl, Duration.ofSeconds(1), Clock.systemUTC(), true);
    }

    /** Applies the transitions, as the pipeline does with a pass's answers, and waits for them. */
    private static void finish(DedupeStore store, List<? extends Transition> transitions) throws Exception {
        store.apply(List.copyOf(transitions)).get();
    }

    private static long pttl(DedupeKey key) {
        try (var c = client.connect()) {
            return c.sync().pttl(key.markKey());
        }
    }

    /** A delivery of a job that expires in an hour. */
    private static DedupeKey key(String m) {
        return key(m, Instant.now().plus(Duration.ofHours(1)));
    }

    private static DedupeKey key(String m, Instant expiresAt) {
        return DedupeKey.of("u1", m, "d1", expiresAt);
    }

    @Test
    void claim_freshKey_isClaimed_thenHeldForOthers() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var b = store("b", Duration.ofSeconds(30))) {
            assertInstanceOf(Claim.Claimed.class, a.claim(List.of(key("m1"))).getFirst());
            Claim other = b.claim(List.of(key("m1"))).getFirst();
            var held = assertInstanceOf(Claim.HeldElsewhere.class, other);
            assertEquals("a", held.holder());
            assertTrue(held.remaining().toMillis() > 25_000, "remaining lease " + held.remaining());
        }
    }

    @Test
    void recall_tellsWhatBecameOfEachPush_andCancelsThoseNotSentYet() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var b = store("b", Duration.ofSeconds(30))) {
            a.claim(List.of(key("r-sent"), key("r-invalid"), key("r-sending")));
            finish(a, List.of(new Transition.MarkSent(key("r-sent")), new Transition.MarkDone(key("r-invalid"))));
            List<Recalled> found = b.recall(List.of(key("r-sent"), key("r-invalid"), key("r-sending"), key("r-fresh")));
            assertEquals(List.of(Recalled.WAS_SENT, Recalled.NEVER_SENT, new Recalled.Sending("a"), Recalled.CANCELLED),
                    found);
            var cancelled = assertInstanceOf(Claim.AlreadyDone.class, a.claim(List.of(key("r-fresh"))).getFirst());
            assertEquals("done", cancelled.state(), "the cancelled push is never claimed, never sent");
            assertTrue(pttl(key("r-fresh")) > 0, "the cancel mark expires with its hour's set");
            assertEquals(List.of(Recalled.NEVER_SENT), b.recall(List.of(key("r-fresh"))), "a recall again finds it done");
        }
    }

    @Test
    void markSent_makesEveryLaterClaimADuplicate() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var b = store("b", Duration.ofSeconds(30))) {
            a.claim(List.of(key("m2")));
            finish(a, List.of(new Transition.MarkSent(key("m2"))));
            var done = assertInstanceOf(Claim.AlreadyDone.class, b.claim(List.of(key("m2"))).getFirst());
            assertEquals("sent", done.state());
        }
    }

    @Test
    void release_byOwner_letsTheNextClaimWin_releaseByOtherDoesNot() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var b = store("b", Duration.ofSeconds(30))) {
            a.claim(List.of(key("m3")));
            finish(b, List.of(new Transition.Release(key("m3"))));
            assertInstanceOf(Claim.HeldElsewhere.class, b.claim(List.of(key("m3"))).getFirst());
            finish(a, List.of(new Transition.Release(key("m3"))));
            assertInstanceOf(Claim.Claimed.class, b.claim(List.of(key("m3"))).getFirst());
        }
    }

    @Test
    void expiredLease_canBeClaimedAgain() throws Exception {
        try (var a = store("a", Duration.ofMillis(100)); var b = store("b", Duration.ofSeconds(30))) {
            a.claim(List.of(key("m4")));
            Thread.sleep(200);
            assertInstanceOf(Claim.Claimed.class, b.claim(List.of(key("m4"))).getFirst());
        }
    }

    @Test
    void markDone_isADuplicateToo_andEndsTheClaim() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var c = client.connect()) {
            a.claim(List.of(key("m5")));
            finish(a, List.of(new Transition.MarkDone(key("m5"))));
            var done = assertInstanceOf(Claim.AlreadyDone.class, a.claim(List.of(key("m5"))).getFirst());
            assertEquals("done", done.state());
            assertEquals(0, c.sync().exists(key("m5").claimKey()), "the claim is gone once settled");
        }
    }

    @Test
    void markSets_liveUntilTheirJobsHourEndsPlusTheMargin_notTheSentTtl() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30), Duration.ofDays(7))) {
            Instant expiresAt = Instant.now().plusSeconds(60);
            DedupeKey sent = key("ttl-sent", expiresAt);
            DedupeKey done = key("ttl-done", expiresAt);
            a.claim(List.of(sent, done));
            finish(a, List.of(new Transition.MarkSent(sent)));
            finish(a, List.of(new Transition.MarkDone(done)));
            for (DedupeKey k : List.of(sent, done)) {
                long expected = Duration.between(Instant.now(), k.markHourEnd().plus(MarkTtl.MARGIN)).toMillis();
                long ttl = pttl(k);
                assertTrue(ttl <= expected + 1_000 && ttl > expected - 5_000,
                        k.messageId() + ": PTTL " + ttl + ", not about " + expected);
            }
        }
    }

    @Test
    void markSetsOfJobsOutlivingTheSentTtl_liveTheSentTtl_extendedByLaterMarks() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30), Duration.ofHours(1))) {
            Instant far = Instant.now().plus(Duration.ofDays(30));
            DedupeKey first = key("ttl-long-1", far);
            finish(a, List.of(new Transition.MarkSent(first)));
            assertTrue(pttl(first) <= 3_600_000 && pttl(first) > 3_595_000, "PTTL " + pttl(first));
            try (var c = client.connect()) {
                c.sync().pexpire(first.markKey(), 1_000_000);
            }
            DedupeKey second = IntStream.range(2, 100_000).mapToObj(i -> key("ttl-long-" + i, far))
                    .filter(k -> k.markKey().equals(first.markKey())).findFirst().orElseThrow();
            finish(a, List.of(new Transition.MarkSent(second)));
            assertTrue(pttl(first) > 3_595_000, "a later mark in the set extends it: PTTL " + pttl(first));
        }
    }

    @Test
    void legacyMarks_andClaimsOfTheReleaseBefore_count_unlessTurnedOff() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var c = client.connect();
             var fresh = new DedupeStore(link, "b", Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofSeconds(1),
                     Clock.systemUTC(), false)) {
            DedupeKey sent = key("legacy-sent");
            DedupeKey held = key("legacy-held");
            c.sync().psetex(sent.legacyKey(), 60_000, "sent");
            c.sync().psetex(held.legacyKey(), 60_000, "inflight:old-worker");
            List<Claim> claims = a.claim(List.of(sent, held));
            assertEquals("sent", assertInstanceOf(Claim.AlreadyDone.class, claims.get(0)).state());
            assertEquals("old-worker", assertInstanceOf(Claim.HeldElsewhere.class, claims.get(1)).holder());
            assertInstanceOf(Claim.Claimed.class, fresh.claim(List.of(sent)).getFirst());
        }
    }

    /**
     * Redis memory per settled delivery, {@code INFO memory}'s {@code used_memory} before and after:
     * 200,000 deliveries (or {@code -Dimpush.memory.deliveries}) of 40,000 users whose jobs expire
     * within one hour, claimed and marked sent as the worker does; beside them the same deliveries in
     * the layout before (one string key with a TTL each, {@code impush:dd:{user}:message:device}).
     */
    @Test
    @Timeout(300)
    void aSettledDelivery_costsAtMost64BytesOfRedisMemory() throws Exception {
        int n = Integer.getInteger("impush.memory.deliveries", 200_000);
        Instant expiresAt = Instant.now().plus(Duration.ofMinutes(30));
        List<DedupeKey> keys = IntStream.range(0, n).mapToObj(i -> DedupeKey.of("mem-user-" + (i % 40_000),
                "0b7e4a1c-9f2d-4c3e-8a5b-" + String.format("%012d", i), "device-" + (i % 3), expiresAt)).toList();
        try (var a = store("a", Duration.ofSeconds(30)); var c = client.connect()) {
            c.sync().flushall();
            long before = usedMemory(c.sync());
            for (int from = 0; from < n; from += DedupeStore.CHUNK) {
                List<DedupeKey> batch = keys.subList(from, Math.min(n, from + DedupeStore.CHUNK));
                a.claim(batch);
                finish(a, batch.stream().<Transition>map(Transition.MarkSent::new).toList());
            }
            double perDelivery = (double) (usedMemory(c.sync()) - before) / n;
            c.sync().flushall();
            before = usedMemory(c.sync());
            var async = c.async();
            c.setAutoFlushCommands(false);
            for (DedupeKey k : keys) {
                async.psetex(k.legacyKey(), 3_600_000, "sent");
            }
            c.flushCommands();
            c.setAutoFlushCommands(true);
            c.sync().ping();
            double legacy = (double) (usedMemory(c.sync()) - before) / n;
            c.sync().flushall();
            System.out.printf("[dedupe memory] %.1f bytes per settled delivery (%.1f in the layout before)%n",
                    perDelivery, legacy);
            assertTrue(perDelivery <= 64, perDelivery + " bytes per delivery");
            assertTrue(perDelivery < legacy / 4, perDelivery + " vs " + legacy);
        }
    }

    private static long usedMemory(io.lettuce.core.api.sync.RedisCommands<String, String> redis) {
        return redis.info("memory").lines().filter(l -> l.startsWith("used_memory:"))
                .mapToLong(l -> Long.parseLong(l.substring("used_memory:".length()).trim())).findFirst().orElseThrow();
    }

    @Test
    void scriptsForgottenByRedis_areSentAgain_byEveryCall() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var c = client.connect()) {
            c.sync().scriptFlush(); // as after a Redis restart: EVALSHA answers NOSCRIPT
            assertInstanceOf(Claim.Claimed.class, a.claim(List.of(key("flush-1"))).getFirst());
            c.sync().scriptFlush();
            finish(a, List.of(new Transition.MarkSent(key("flush-1"))));
            assertTrue(c.sync().sismember(key("flush-1").markKey(), key("flush-1").member(DedupeMark.SENT)));
            c.sync().scriptFlush();
            assertEquals(List.of(false), a.renew(List.of(key("flush-1"))), "a sent mark is no claim of ours");
        }
    }

    @Test
    void fullRedis_refusesClaims_soNothingIsSent() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var c = client.connect()) {
            c.sync().configSet("maxmemory", "1"); // with redis-server's default policy, noeviction
            try {
                assertThrows(DedupeUnavailableException.class, () -> a.claim(List.of(key("full"))));
            } finally {
                c.sync().configSet("maxmemory", "0");
            }
            assertInstanceOf(Claim.Claimed.class, a.claim(List.of(key("full"))).getFirst());
        }
    }

    @Test
    void evictionPolicyCheck_reportsEvictingPolicies_andIgnoresAForbiddenConfig() {
        Duration timeout = Duration.ofSeconds(1);
        assertEquals(Optional.empty(), EvictionPolicyCheck.evictingPolicy(link, timeout), "redis-server's default");
        try (var c = client.connect()) {
            c.sync().configSet("maxmemory-policy", "volatile-ttl");
            try {
                assertEquals(Optional.of("volatile-ttl"), EvictionPolicyCheck.evictingPolicy(link, timeout));
            } finally {
                c.sync().configSet("maxmemory-policy", "noeviction");
            }
            c.sync().aclSetuser("no-config", AclSetuserArgs.Builder.on().addPassword("pw").allKeys().allCommands()
                    .removeCommand(CommandType.CONFIG));
        }
        try (RedisLink limited = RedisConnection.of(redis.uri().replace("redis://", "redis://no-config:pw@"))
                .open(o -> o, timeout)) {
            assertEquals(Optional.empty(), EvictionPolicyCheck.evictingPolicy(limited, timeout));
        }
    }

    @Test
    void batchesSpanningSeveralScriptCalls_areAnsweredInOrder() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30))) {
            int n = DedupeStore.CHUNK * 2 + 200;
            List<DedupeKey> keys = IntStream.range(0, n).mapToObj(i -> key("batch-" + i)).toList();
            int held = DedupeStore.CHUNK + 200; // the first two script calls hit held and sent keys
            a.claim(keys.subList(0, held));
            finish(a, IntStream.range(0, held).filter(i -> i % 3 == 0)
                    .<Transition>mapToObj(i -> new Transition.MarkSent(keys.get(i))).toList());
            List<Claim> claims = a.claim(keys);
            assertEquals(n, claims.size());
            for (int i = 0; i < n; i++) {
                Claim c = claims.get(i);
                if (i >= held) {
                    assertInstanceOf(Claim.Claimed.class, c, "key " + i);
                } else if (i % 3 == 0) {
                    assertEquals("sent", assertInstanceOf(Claim.AlreadyDone.class, c, "key " + i).state());
                } else {
                    var other = assertInstanceOf(Claim.HeldElsewhere.class, c, "key " + i);
                    assertTrue(other.remaining().toMillis() > 0, "key " + i);
                }
            }
        }
    }

    @Test
    void redisGone_claimFailsWithUnavailable_andWorksAfterRestart() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30))) {
            a.claim(List.of(key("m6")));
            redis.kill();
            assertThrows(DedupeUnavailableException.class, () -> a.claim(List.of(key("m7"))));
            redis.restart();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                try {
                    // A fresh server lost its scripts: the store must load them again by itself.
                    assertInstanceOf(Claim.Claimed.class, a.claim(List.of(key("m7"))).getFirst());
                    break;
                } catch (DedupeUnavailableException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        }
    }
}
