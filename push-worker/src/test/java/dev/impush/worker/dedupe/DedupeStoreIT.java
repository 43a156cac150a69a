package dev.impush.worker.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.dedupe.DedupeKey;
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
        return new DedupeStore(link, owner, lease, sentTtl, Duration.ofSeconds(1), Clock.systemUTC());
    }

    /** Applies the transitions, as the pipeline does with a pass's answers, and waits for them. */
    private static void finish(DedupeStore store, List<? extends Transition> transitions) throws Exception {
        store.apply(List.copyOf(transitions)).get();
    }

    private static long pttl(DedupeKey key) {
        try (var c = client.connect()) {
            return c.sync().pttl(key.redisKey());
        }
    }

    private static DedupeKey key(String m) {
        return new DedupeKey("u1", m, "d1");
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
    void markSent_makesEveryLaterClaimADuplicate() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var b = store("b", Duration.ofSeconds(30))) {
            a.claim(List.of(key("m2")));
            finish(a, List.of(new Transition.MarkSent(key("m2"), null)));
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
    void markDone_recordsWhy() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30))) {
            a.claim(List.of(key("m5")));
            finish(a, List.of(new Transition.MarkDone(key("m5"), "invalid-token", null)));
            var done = assertInstanceOf(Claim.AlreadyDone.class, a.claim(List.of(key("m5"))).getFirst());
            assertEquals("done:invalid-token", done.state());
        }
    }

    @Test
    void marks_liveUntilTheirJobExpiresPlusTheMargin_notTheSentTtl() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30), Duration.ofDays(7))) {
            DedupeKey sent = key("ttl-sent");
            DedupeKey done = key("ttl-done");
            a.claim(List.of(sent, done));
            Instant expiresAt = Instant.now().plusSeconds(60);
            finish(a, List.of(new Transition.MarkSent(sent, expiresAt)));
            finish(a, List.of(new Transition.MarkDone(done, "invalid-token", expiresAt)));
            long expected = Duration.ofSeconds(60).plus(MarkTtl.MARGIN).toMillis();
            for (DedupeKey k : List.of(sent, done)) {
                long ttl = pttl(k);
                assertTrue(ttl <= expected && ttl > expected - 5_000,
                        k.messageId() + ": PTTL " + ttl + ", not about " + expected);
            }
        }
    }

    @Test
    void marksOfJobsWithoutExpiryOrOutlivingTheSentTtl_liveTheSentTtl() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30), Duration.ofHours(1))) {
            DedupeKey none = key("ttl-none");
            DedupeKey longJob = key("ttl-long");
            a.claim(List.of(none, longJob));
            finish(a, List.of(new Transition.MarkSent(none, null),
                    new Transition.MarkSent(longJob, Instant.now().plus(Duration.ofDays(30)))));
            for (DedupeKey k : List.of(none, longJob)) {
                long ttl = pttl(k);
                assertTrue(ttl <= 3_600_000 && ttl > 3_595_000, k.messageId() + ": PTTL " + ttl);
            }
        }
    }

    @Test
    void scriptsForgottenByRedis_areSentAgain_byEveryCall() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30)); var c = client.connect()) {
            c.sync().scriptFlush(); // as after a Redis restart: EVALSHA answers NOSCRIPT
            assertInstanceOf(Claim.Claimed.class, a.claim(List.of(key("flush-1"))).getFirst());
            c.sync().scriptFlush();
            finish(a, List.of(new Transition.MarkSent(key("flush-1"), null)));
            assertEquals("sent", c.sync().get(key("flush-1").redisKey()));
            c.sync().scriptFlush();
            assertEquals(List.of(false), a.renew(List.of(key("flush-1"))), "a sent mark is no claim of ours");
        }
    }

    @Test
    void idsThatCollidedInEarlierReleases_haveSeparateClaims() throws Exception {
        try (var a = store("a", Duration.ofSeconds(30))) {
            List<Claim> claims = a.claim(List.of(new DedupeKey("u}1", "a:b", "c"), new DedupeKey("u}1", "a", "b:c")));
            assertInstanceOf(Claim.Claimed.class, claims.get(0));
            assertInstanceOf(Claim.Claimed.class, claims.get(1));
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
                    .<Transition>mapToObj(i -> new Transition.MarkSent(keys.get(i), null)).toList());
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
