package dev.impush.worker.dedupe;

import dev.impush.runtime.redis.RedisLink;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check of the dedupe Redis' {@code maxmemory-policy}, which must be {@code noeviction}.
 * Any other policy lets a full Redis evict sent marks (they all have a TTL, so the
 * {@code volatile-*} policies do too), and an evicted mark is a duplicate push. With
 * {@code noeviction} a full Redis refuses new claims instead: the worker sends nothing and backs
 * off, which is safe.
 */
public final class EvictionPolicyCheck {
    private static final Logger LOG = LoggerFactory.getLogger(EvictionPolicyCheck.class);
    private static final String POLICY = "maxmemory-policy";

    private EvictionPolicyCheck() {}

    /** Logs a warning if Redis may evict; carries on either way. */
    public static void warnIfEvicting(RedisLink redis, Duration timeout) {
        evictingPolicy(redis, timeout).ifPresent(policy -> LOG.warn("the dedupe Redis has {} {}: when it is full it "
                + "evicts sent marks and those pushes may be sent twice; set {} noeviction", POLICY, policy, POLICY));
    }

    /**
     * The policy when it evicts; empty when it is {@code noeviction} or cannot be read (CONFIG
     * disabled, renamed or not permitted, as on many managed services: then the operator's
     * checklist has to cover it).
     */
    static Optional<String> evictingPolicy(RedisLink redis, Duration timeout) {
        try (RedisLink.Session c = redis.connect()) {
            Map<String, String> reply = c.commands().configGet(POLICY).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.ofNullable(reply.get(POLICY)).filter(policy -> !policy.equals("noeviction"));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            Throwable why = e instanceof ExecutionException ? e.getCause() : e;
            LOG.info("cannot read the dedupe Redis' {} ({}); it must be noeviction", POLICY, why.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
