package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.MisplacedEvents;
import dev.impush.model.deadletter.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The first stop of an {@code im.events} record. One on the partition Kafka's Java default partitioner
 * gives its key (murmur2 of the user id, as impush writes {@code push.feedback}) goes on to
 * {@code inPlaceChild}; any other goes to {@code misplacedChild}, as is (rerouted by user through an
 * internal topic) or as a dead letter with reason {@code misplaced}, as {@link MisplacedEvents} says.
 * A record without a key goes on: the decoder refuses it. What moved is counted and logged
 * ({@link MisplacedWarning}).
 */
public final class PlacementCheck implements Processor<String, byte[], String, Object> {
    private final int partitions;
    private final MisplacedEvents action;
    private final String inPlaceChild;
    private final String misplacedChild;
    private final String stoppedBy;
    private final DetectorMetrics metrics;
    private final MisplacedWarning warning;
    private ProcessorContext<String, Object> context;

    /** @param partitions the partition count of the topic read (the records' keys are hashed over it) */
    public PlacementCheck(int partitions, MisplacedEvents action, String inPlaceChild, String misplacedChild,
                          String stoppedBy, DetectorMetrics metrics, MisplacedWarning warning) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions " + partitions);
        }
        this.partitions = partitions;
        this.action = action;
        this.inPlaceChild = inPlaceChild;
        this.misplacedChild = misplacedChild;
        this.stoppedBy = stoppedBy;
        this.metrics = metrics;
        this.warning = warning;
    }

    /** The partition of {@code partitions} Kafka's Java default partitioner gives {@code key}. */
    public static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        int expected = record.key() == null || meta == null ? -1 : partitionFor(record.key(), partitions);
        if (expected < 0 || expected == meta.partition()) {
            context.forward(record, inPlaceChild);
            return;
        }
        metrics.misplaced(action);
        switch (action) {
            case REROUTE -> context.forward(record, misplacedChild);
            case DEAD_LETTER -> {
                metrics.deadLetter(DeadLetterReason.MISPLACED.wireName(), meta.topic());
                context.forward(RawDeadLetter.of(context, record, DeadLetterReason.MISPLACED, "on partition "
                        + meta.partition() + " of " + meta.topic() + "; Kafka's default partitioner puts its key on "
                        + expected, stoppedBy), misplacedChild);
            }
        }
        warning.misplaced(meta.topic(), meta.partition(), expected, context.currentSystemTimeMs());
    }
}
