package dev.impush.detector.processor;

import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** The {@link DeadLetter} of an input record the detector refuses: reason, detail, where it was read, its raw bytes. */
public final class RawDeadLetter {
    /** Raw bytes kept in a dead letter; larger input is cut (and flagged truncated). */
    public static final int MAX_RAW_BYTES = 64 * 1024;

    private RawDeadLetter() {}

    /** {@code record} as a dead letter, stamped with the stream time's wall clock. */
    static Record<String, Object> of(ProcessorContext<?, ?> context, Record<String, byte[]> record,
                                     DeadLetterReason reason, String detail, String stoppedBy) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "unknown" : meta.topic();
        DeadLetter.Source source = new DeadLetter.Source(topic, meta == null ? -1 : meta.partition(),
                meta == null ? -1 : meta.offset(), record.key());
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        DeadLetter letter = DeadLetter.ofRaw(reason, detail, source, record.value(), MAX_RAW_BYTES, stoppedBy, now);
        return record.<Object>withValue(letter).withTimestamp(now.toEpochMilli());
    }
}
