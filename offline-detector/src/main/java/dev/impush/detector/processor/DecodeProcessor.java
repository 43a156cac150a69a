package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.model.Contract;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetterReason;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads raw records of one contract. A valid one goes on, decoded, to {@code validChild}; anything
 * else becomes a dead letter ({@link RawDeadLetter}: reason, detail, source, raw bytes) for {@code deadLetterChild}.
 * Never throws: one poison record must not stop a partition.
 *
 * <p>A record whose Kafka key is not the id it must be keyed by (the user id) is invalid too: its
 * user's state lives with another partition, so applying it here would split that state silently.
 */
public final class DecodeProcessor<T extends Contract> implements Processor<String, byte[], String, Object> {
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
                metrics.deadLetter(invalid.reason().wireName(), context.recordMetadata().map(RecordMetadata::topic)
                        .orElse("unknown"));
                context.forward(RawDeadLetter.of(context, record, invalid.reason(), invalid.detail(), stoppedBy),
                        deadLetterChild);
            }
        }
    }
}
