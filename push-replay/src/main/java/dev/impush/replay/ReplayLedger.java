package dev.impush.replay;

import dev.impush.runtime.redis.RedisLink;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Which dead letters a replay has republished: one Redis key per letter (its topic, partition and
 * offset), written after the broker acknowledged the republished job, kept for {@code ttl} (at least
 * the dead-letter topic's retention, so a letter is not forgotten while it can still be read).
 *
 * <p>Why a ledger and not a consumer group's committed position: a position is a watermark, "every
 * letter before here is handled", but what a run handles is a set, not a prefix. A run filtered by
 * channel, user, reason or time, or one that skips expired jobs, leaves letters behind that a later
 * run (another filter, {@code --include-expired}) must still see; committing past them hid them for
 * good, and a dry run, reading from the beginning, disagreed with the execute that followed. With a
 * ledger every run reads the whole topic and skips exactly the letters it holds, so filters do not
 * interfere, an interrupted run resumes, and a dry run answers with the same checks as
 * {@code --execute}. A crash between the acknowledged send and the ledger write replays that one
 * letter again on the next run; the worker's dedupe shows it once.
 *
 * <p>A new ledger name starts afresh (every letter unreplayed; devices already delivered are still
 * skipped by the dedupe marks).
 */
final class ReplayLedger implements AutoCloseable {

    /** A dead letter's place in its topic: what the ledger remembers. */
    record LetterId(String topic, int partition, long offset) {
        static LetterId of(ConsumerRecord<?, ?> record) {
            return new LetterId(record.topic(), record.partition(), record.offset());
        }
    }

    private final RedisLink.Session connection;
    private final RedisClusterCommands<String, String> redis;
    private final String name;
    private final Duration ttl;

    ReplayLedger(RedisLink link, String name, Duration ttl) {
        if (name.isBlank() || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a ledger needs a name and a positive ttl");
        }
        this.connection = link.connect();
        this.redis = connection.sync();
        this.name = name;
        this.ttl = ttl;
    }

    String name() {
        return name;
    }

    boolean replayed(LetterId id) {
        return redis.exists(key(id)) > 0;
    }

    /** Records that the letter's job was republished to {@code target} at {@code at}. */
    void record(LetterId id, String target, Instant at) {
        redis.set(key(id), at + " " + target, SetArgs.Builder.ex(ttl));
    }

    private String key(LetterId id) {
        return "impush:replay:" + name + ":" + id.topic() + ":" + id.partition() + ":" + id.offset();
    }

    @Override
    public void close() {
        connection.close();
    }
}
