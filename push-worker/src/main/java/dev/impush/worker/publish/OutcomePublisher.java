package dev.impush.worker.publish;

import dev.impush.model.codec.ContractCodec;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.feedback.Feedback;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.PushJob;
import dev.impush.runtime.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Publishes what the worker learned: feedback for the detector and dead letters. Idempotent,
 * acks=all: the offset of the record that caused a publication is completed only after its
 * callback reports success. Thread-safe.
 */
public final class OutcomePublisher implements Publisher, AutoCloseable {
    /** Largest record published: the broker's default limit. Jobs read are bounded well below it. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String feedbackTopic;
    private final String dlqTopic;
    private final ContractCodec<Feedback> feedbackCodec = ContractCodec.feedback();
    private final ContractCodec<DeadLetter> deadLetterCodec = ContractCodec.deadLetters();
    private final ContractCodec<PushJob> jobCodec = ContractCodec.jobs(Integer.MAX_VALUE);

    public OutcomePublisher(KafkaConnection kafka, String clientId, String feedbackTopic, String dlqTopic) {
        this.producer = new KafkaProducer<>(kafka.producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId + "-publisher",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES,
                // send() waits this long for metadata or buffer space, on the poll thread: a missing
                // topic or a broker away fails the send (and it is tried again later) instead of
                // stopping the loop for the default minute
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000), Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.feedbackTopic = feedbackTopic;
        this.dlqTopic = dlqTopic;
    }

    @Override
    public void feedback(Feedback feedback, Consumer<Exception> done) {
        byte[] key = key(feedback.userId());
        try {
            // the detector reads a user's feedback on the partition Kafka's default partitioner gives the
            // user id, whatever partitioner is passed through to this client
            int partition = Utils.toPositive(Utils.murmur2(key)) % producer.partitionsFor(feedbackTopic).size();
            send(new ProducerRecord<>(feedbackTopic, partition, key, feedbackCodec.encode(feedback)), done);
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    @Override
    public void deadLetter(byte[] key, DeadLetter letter, Consumer<Exception> done) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(dlqTopic, key, deadLetterCodec.encode(letter));
        JobHeaders.set(r.headers(), "impush-dlq-reason", letter.reason().wireName());
        send(r, done);
    }

    @Override
    public void retry(RetryRecord retry, Consumer<Exception> done) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(retry.topic(), retry.key(), jobCodec.encode(retry.job()));
        Headers h = r.headers();
        JobHeaders.set(h, JobHeaders.ATTEMPT, Integer.toString(retry.attempt()));
        if (retry.untilRecovery()) {
            JobHeaders.set(h, JobHeaders.RELEASE_ON, JobHeaders.RELEASE_ON_RECOVERY);
        }
        if (retry.held() > 0) {
            JobHeaders.set(h, JobHeaders.HELD, Integer.toString(retry.held()));
        }
        JobHeaders.set(h, JobHeaders.ORIGIN, JobHeaders.Origin.RETRY.name());
        JobHeaders.set(h, JobHeaders.DUE_AT, Long.toString(retry.due().toEpochMilli()));
        if (retry.firstFailure() != null) {
            JobHeaders.set(h, JobHeaders.FIRST_FAILURE, retry.firstFailure());
        }
        JobHeaders.setAttempts(h, retry.attempts());
        JobHeaders.copyTrace(retry.origin(), h);
        send(r, done);
    }

    private void send(ProducerRecord<byte[], byte[]> record, Consumer<Exception> done) {
        try {
            producer.send(record, (meta, e) -> done.accept(e));
        } catch (RuntimeException e) {
            done.accept(e);
        }
    }

    private static byte[] key(String userId) {
        return userId == null ? null : userId.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
