package dev.impush.detector.errors;

import dev.impush.model.codec.ContractCodec;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.processor.RawDeadLetter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector's last line of defence against a poison record. The contracts bound every field and
 * the processors never throw on valid input, but should a record still make processing fail (a bug,
 * a limit it breaks), the record goes to {@code push.dlq} with the reason and its raw bytes, and the
 * partition moves on. Without this a stream thread failure shuts the client down, and exactly-once
 * re-reads the same record after every restart, on every instance in turn: no pushes at all.
 *
 * <p>Production failures that are about the record (too large for the broker, not serializable)
 * are dead-lettered the same way; any other (authorization, a missing topic) is a deployment error
 * and fails loudly, since skipping would silently drop every push.
 *
 * <p>Configured by {@link #DLQ_TOPIC} and {@link #STOPPED_BY} in the Streams properties.
 */
public final class DeadLetterExceptionHandler implements ProcessingExceptionHandler, ProductionExceptionHandler {
    /** Streams property: the dead-letter topic. */
    public static final String DLQ_TOPIC = "impush.dlq.topic";
    /** Streams property: who dead-lettered (the application id), written into each letter. */
    public static final String STOPPED_BY = "impush.dlq.stopped-by";
    /** Raw bytes kept in a letter; larger input is cut (and flagged truncated). */
    /** Streams property: the {@link MeterRegistry} that counts the letters (optional). */
    public static final String REGISTRY = "impush.dlq.registry";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);
    private final ContractCodec<DeadLetter> codec = ContractCodec.deadLetters();
    private String dlqTopic;
    private String stoppedBy;
    private DetectorMetrics metrics;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = String.valueOf(configs.get(DLQ_TOPIC));
        stoppedBy = String.valueOf(configs.get(STOPPED_BY));
        metrics = new DetectorMetrics(configs.get(REGISTRY) instanceof MeterRegistry r ? r : new SimpleMeterRegistry());
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        return ProcessingExceptionHandler.Response.resume(
                deadLetter(context, DeadLetterReason.PROCESSING_FAILED, "processing", exception));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                           ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (!(exception instanceof RecordTooLargeException)) {
            log.error("detector cannot write to {}: {}", record.topic(), exception.toString());
            return ProductionExceptionHandler.Response.fail();
        }
        return ProductionExceptionHandler.Response.resume(
                deadLetter(context, DeadLetterReason.OVERSIZED, "production", exception));
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        return ProductionExceptionHandler.Response.resume(
                deadLetter(context, DeadLetterReason.PROCESSING_FAILED, "serialization", exception));
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(ErrorHandlerContext context, DeadLetterReason reason,
                                                            String stage, Exception exception) {
        byte[] rawKey = context.sourceRawKey();
        String key = rawKey == null ? null : new String(rawKey, StandardCharsets.UTF_8);
        String detail = stage + " failed in " + context.processorNodeId() + ": " + exception;
        log.error("dead-lettering {}-{}@{} (key {}): {}", context.topic(), context.partition(), context.offset(), key,
                detail, exception);
        metrics.deadLetter(reason.wireName(), context.topic());
        DeadLetter letter = DeadLetter.ofRaw(reason, detail,
                new DeadLetter.Source(context.topic(), context.partition(), context.offset(), key),
                context.sourceRawValue(), RawDeadLetter.MAX_RAW_BYTES, stoppedBy, Instant.now());
        return List.of(new ProducerRecord<>(dlqTopic, rawKey, codec.encode(letter)));
    }
}
