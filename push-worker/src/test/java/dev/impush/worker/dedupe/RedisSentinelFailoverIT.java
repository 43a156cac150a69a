package dev.impush.worker.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.impush.localstack.redis.RedisSentinelProcess;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dedupe on Redis with Sentinel: a master, its replica and a Sentinel ({@code redis-server
 * --sentinel}), reached through {@code redis-sentinel://...#impush}. The master is killed; the
 * Sentinel promotes the replica and the store carries on there, its replicated marks intact.
 */
@Timeout(90)
class RedisSentinelFailoverIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    @Test
    void theMasterKilled_claimsResumeOnThePromotedReplica_withTheMarksItHad() throws Exception {
        Instant expiresAt = Instant.now().plusSeconds(3600);
        DedupeKey sent = DedupeKey.of("sentinel-user", "m1", "d1", expiresAt);
        DedupeKey fresh = DedupeKey.of("sentinel-user", "m2", "d1", expiresAt);
        try (RedisSentinelProcess redis = RedisSentinelProcess.start();
             RedisLink link = RedisConnection.of(redis.uri()).open(o -> o
                     .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                     .timeoutOptions(TimeoutOptions.enabled(TIMEOUT)), TIMEOUT);
             DedupeStore store = new DedupeStore(link, "a", Duration.ofSeconds(30), Duration.ofHours(1), TIMEOUT,
                     Clock.systemUTC(), true)) {
            assertFalse(link.clustered(), "a Sentinel's master is a standalone server");
            assertInstanceOf(Claim.Claimed.class, store.claim(List.of(sent)).getFirst());
            store.apply(List.of(new Transition.MarkSent(sent))).get(5, TimeUnit.SECONDS);
            awaitReplicated(redis, sent);

            redis.master().kill();
            redis.awaitMaster(redis.replica().port(), Duration.ofSeconds(30));
            List<Claim> claims = claimWhenBack(store, List.of(sent, fresh), Duration.ofSeconds(30));
            assertEquals("sent", assertInstanceOf(Claim.AlreadyDone.class, claims.get(0)).state());
            assertInstanceOf(Claim.Claimed.class, claims.get(1));
        }
    }

    /** Replication is asynchronous: until the replica holds the mark set. */
    private static void awaitReplicated(RedisSentinelProcess redis, DedupeKey key) throws InterruptedException {
        RedisClient replica = RedisClient.create(redis.replica().uri());
        try (var c = replica.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (c.sync().exists(key.markKey()) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the replica never got " + key.markKey());
                }
                Thread.sleep(20);
            }
        } finally {
            replica.shutdown();
        }
    }

    /** Claims, trying again while Redis is unavailable (the client finding the new master). */
    private static List<Claim> claimWhenBack(DedupeStore store, List<DedupeKey> keys, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try {
                return store.claim(keys);
            } catch (DedupeUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }
}
