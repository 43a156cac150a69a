package dev.impush.worker.broadcast;

import dev.impush.model.broadcast.BroadcastTallies;
import dev.impush.model.job.PushJob;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what became of the devices of broadcast jobs (delivered, failed, dropped) and hands the
 * counts of each broadcast to a {@link Sink} once per {@link #flush()}: on Redis, added to the
 * broadcast's hash ({@link BroadcastTallies}) for {@code scripts/broadcast status}. Monitoring, not
 * bookkeeping: a worker that dies loses the counts of its last flush interval. Thread-safe.
 */
public final class BroadcastTally {
    private static final Logger LOG = LoggerFactory.getLogger(BroadcastTally.class);

    public enum Outcome {
        DELIVERED(BroadcastTallies.DELIVERED), FAILED(BroadcastTallies.FAILED), DROPPED(BroadcastTallies.DROPPED);

        private final String field;

        Outcome(String field) {
            this.field = field;
        }
    }

    /** Where a flush puts one broadcast's counts since the last one. */
    @FunctionalInterface
    public interface Sink {
        void add(String broadcastId, Outcome outcome, long devices);
    }

    private final Sink sink;
    private Map<String, long[]> counts = new HashMap<>();

    public BroadcastTally(Sink sink) {
        this.sink = sink;
    }

    /** Adds the counts to each broadcast's Redis hash, which lives {@code ttl} past its last count; never waits. */
    public static BroadcastTally onRedis(RedisClusterAsyncCommands<String, String> redis, Duration ttl) {
        return new BroadcastTally((id, outcome, devices) -> {
            String key = BroadcastTallies.key(id);
            redis.hincrby(key, outcome.field, devices).exceptionally(e -> {
                LOG.warn("broadcast {}: {} {} not counted: {}", id, devices, outcome.field, e.toString());
                return null;
            });
            redis.expire(key, ttl.toSeconds());
        });
    }

    /** Counts {@code devices} devices of {@code job} as {@code outcome}, if it is a broadcast's job. */
    public void count(PushJob job, Outcome outcome, int devices) {
        String id = BroadcastTallies.broadcastOf(job);
        if (id == null || devices == 0) {
            return;
        }
        synchronized (this) {
            counts.computeIfAbsent(id, k -> new long[Outcome.values().length])[outcome.ordinal()] += devices;
        }
    }

    /** Hands what was counted since the last flush to the sink. */
    public void flush() {
        Map<String, long[]> batch;
        synchronized (this) {
            if (counts.isEmpty()) {
                return;
            }
            batch = counts;
            counts = new HashMap<>();
        }
        batch.forEach((id, n) -> {
            for (Outcome o : Outcome.values()) {
                if (n[o.ordinal()] > 0) {
                    sink.add(id, o, n[o.ordinal()]);
                }
            }
        });
    }
}
