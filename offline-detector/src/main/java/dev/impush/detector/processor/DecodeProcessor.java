package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.model.Contract;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads raw records of one contract. A valid one goes on, decoded, to {@code validChild}; anything
 * else becomes a {@link DeadLetter} (reason, detail, source, raw bytes) for {@code deadLetterChild}.
 * Never throws: one poison record must not stop a partition.
 *
 * <p>A record whose Kafka key is not the id it must be keyed by (the user id) is invalid too: its
 * user's state lives with another partition, so applying it here would split that state silently.
 */
public final class DecodeProcessor<T extends Contract> implements Processor<String, byte[], String, Object> {
    /** Raw bytes kept in a dead letter; larger input is cut (and flagged truncated). */
    public static final int MAX_RAW_BYTES = 64 * 1024;

    private final ContractCodec<T> codec;
    private final Function<T, String> expectedKey;
    private final String validChild;
    private final String deadLetterChild;
    private final String stoppedBy;
    private final DetectorMetrics metrics;
    private ProcessorContext<String, Object> context;

    /** @param expectedKey the key a valid record must carry, derived from its value (e.g. its user id) */
    public DecodeProcessor(ContractCodec<T> codec, Function<T, String> expectedKey, String validChild,
                           String deadLetterChild, String stoppedBy, DetectorMetrics metrics) {
        this.codec = codec;
        this.expectedKey = expectedKey;
        this.validChild = validChild;
        this.deadLetterChild = deadLetterChild;
        this.stoppedBy = stoppedBy;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        Decoded<T> decoded = codec.decode(record.value());
        if (decoded instanceof Decoded.Ok<T> ok && !Objects.equals(record.key(), expectedKey.apply(ok.value()))) {
            decoded = new Decoded.Invalid<>(DeadLetterReason.INVALID, "record key '" + record.key()
                    + "' is not the id the topic is keyed by ('" + expectedKey.apply(ok.value()) + "')");
        }
        switch (decoded) {
            case Decoded.Ok<T> ok -> context.forward(record.withValue(ok.value()), validChild);
            case Decoded.Invalid<T> invalid -> {
                RecordMetadata meta = context.recordMetadata().orElse(null);
                String topic = meta == null ? "unknown" : meta.topic();
                DeadLetter.Source source = new DeadLetter.Source(topic, meta == null ? -1 : meta.partition(),
                        meta == null ? -1 : meta.offset(), record.key());
                Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
                DeadLetter letter = DeadLetter.ofRaw(invalid.reason(), invalid.detail(), source, record.value(),
                        MAX_RAW_BYTES, stoppedBy, now);
                metrics.deadLetter(invalid.reason().wireName(), topic);
                context.forward(record.withValue(letter).withTimestamp(now.toEpochMilli()), deadLetterChild);
            }
        }
    }
}
