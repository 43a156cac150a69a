package dev.impush.replay;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.model.dedupe.DedupeMark;
import dev.impush.runtime.redis.RedisLink;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reads what the workers' dedupe recorded of deliveries, one round trip per lookup. Read only. */
final class DeliveryMarks implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 5;
    private final RedisLink.Session connection;

    /** Redis did not answer. */
    static final class Unavailable extends Exception {
        Unavailable(Throwable cause) {
            super(cause.toString(), cause);
        }
    }

    DeliveryMarks(RedisLink link) {
        this.connection = link.connect();
    }

    /** Each key's mark, in order. */
    List<DedupeMark> read(List<DedupeKey> keys) throws Unavailable {
        List<RedisFuture<String>> gets = new ArrayList<>(keys.size());
        keys.forEach(k -> gets.add(connection.commands().get(k.redisKey())));
        List<DedupeMark> marks = new ArrayList<>(keys.size());
        try {
            for (RedisFuture<String> get : gets) {
                marks.add(DedupeMark.of(get.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            }
            return marks;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable(e);
        } catch (Exception e) {
            throw new Unavailable(e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
