package dev.impush.e2e;

import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the dead-letter topic from the start and counts records by reason. */
public final class DeadLetterCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ContractCodec<DeadLetter> codec = ContractCodec.deadLetters();
    private final Map<String, Integer> byReason = new TreeMap<>();
    private final java.util.List<DeadLetter> letters = new java.util.ArrayList<>();

    public DeadLetterCounter(String bootstrap, String topic) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "impush-dlq-counter-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Reads what arrived since the last call. */
    public DeadLetterCounter poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (codec.decode(r.value()) instanceof Decoded.Ok<DeadLetter> ok) {
                letters.add(ok.value());
                byReason.merge(ok.value().reason().wireName() + " from " + ok.value().source().topic(),
                        1, Integer::sum);
            } else {
                byReason.merge("unreadable dead letter", 1, Integer::sum);
            }
        }
        return this;
    }

    public Map<String, Integer> byReason() {
        return Map.copyOf(byReason);
    }

    public List<DeadLetter> letters() {
        return List.copyOf(letters);
    }

    public int total() {
        return letters.size();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
