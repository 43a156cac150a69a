package dev.impush.worker.receipt;

import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.channel.Delivery;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whom each push that asked for a receipt went to: {@code impush:rc:<delivery>} → user, message and
 * device ids, for {@code ttl}. A receipt names only its {@link ReceiptTag}; the book turns it back into
 * ids. Writes are pipelined and never waited for: a receipt whose entry is missing is still published,
 * with its delivery digest and without ids.
 */
public final class ReceiptBook implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptBook.class);
    private static final char SEPARATOR = '\u0000';

    /** The ids of one push. */
    public record Ids(String userId, String messageId, String deviceId) {}

    private final RedisLink.Session session;
    private final RedisClusterAsyncCommands<String, String> redis;
    private final long ttlMillis;
    private final Duration timeout;
    private final AtomicLong failures = new AtomicLong();

    public ReceiptBook(RedisLink link, Duration ttl, Duration timeout) {
        this.session = link.connect();
        this.redis = session.commands();
        this.ttlMillis = ttl.toMillis();
        this.timeout = timeout;
    }

    /** Remembers whom {@code delivery} goes to. Best effort, never waits; any thread. */
    public void sent(Delivery delivery) {
        String user = delivery.job().userId();
        String message = delivery.messageId();
        String device = delivery.target().deviceId();
        redis.set(key(ReceiptTag.delivery(user, message, device)), user + SEPARATOR + message + SEPARATOR + device,
                SetArgs.Builder.px(ttlMillis)).whenComplete((ok, e) -> {
                    if (e != null && failures.getAndIncrement() % 1000 == 0) {
                        LOG.warn("receipt book not written (its receipts will carry no ids): {}", e.toString());
                    }
                });
    }

    /** Whom the push of {@code delivery} went to; empty when forgotten or Redis does not answer. */
    Optional<Ids> ids(String delivery) {
        try {
            String value = redis.get(key(delivery)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (value == null) {
                return Optional.empty();
            }
            String[] parts = value.split(String.valueOf(SEPARATOR), -1);
            return parts.length == 3 ? Optional.of(new Ids(parts[0], parts[1], parts[2])) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            LOG.warn("receipt book not read: {}", e.toString());
            return Optional.empty();
        }
    }

    private static String key(String delivery) {
        return "impush:rc:" + delivery;
    }

    @Override
    public void close() {
        session.close();
    }
}
