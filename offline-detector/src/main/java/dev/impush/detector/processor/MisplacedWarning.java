package dev.impush.detector.processor;

import dev.impush.detector.MisplacedEvents;
import dev.impush.model.deadletter.DeadLetterReason;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log line that tells an operator a producer partitions differently: at most one per
 * {@link #EVERY} for the whole application (every task's {@link PlacementCheck} shares one), with the
 * count since the last and the producer settings that avoid the extra hop. Thread-safe.
 */
public final class MisplacedWarning {
    static final Duration EVERY = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(MisplacedWarning.class);

    private final MisplacedEvents action;
    private final AtomicLong unlogged = new AtomicLong();
    private final AtomicLong loggedAt = new AtomicLong(Long.MIN_VALUE);

    public MisplacedWarning(MisplacedEvents action) {
        this.action = action;
    }

    /** One more misplaced record, read at {@code nowMs} from {@code partition} of {@code topic}. */
    void misplaced(String topic, int partition, int expected, long nowMs) {
        unlogged.incrementAndGet();
        long last = loggedAt.get();
        if ((last != Long.MIN_VALUE && nowMs - last < EVERY.toMillis()) || !loggedAt.compareAndSet(last, nowMs)) {
            return;
        }
        log.warn("{} record(s) of {} were not on the partition Kafka's default partitioner (murmur2 of the key) gives"
                        + " their key (the last: partition {}, expected {}); {}. Set the producer's partitioner to"
                        + " murmur2 (librdkafka: partitioner=murmur2_random; kafka-go: Murmur2Balancer): README,"
                        + " 'Producers in other languages'", unlogged.getAndSet(0), topic, partition, expected,
                action == MisplacedEvents.REROUTE ? "rerouted by user (one more hop through Kafka)"
                        : "dead-lettered as " + DeadLetterReason.MISPLACED.wireName());
    }
}
