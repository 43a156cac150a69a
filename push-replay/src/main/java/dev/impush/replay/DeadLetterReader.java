package dev.impush.replay;

import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.runtime.kafka.KafkaConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the whole dead-letter topic, from the beginning up to where it ended when the reader
 * started. No consumer group: what a replay already sent is in its {@link ReplayLedger}, not in a
 * position, so every command (summary, list, dry run, execute) sees the same letters.
 */
final class DeadLetterReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final ContractCodec<DeadLetter> codec = ContractCodec.deadLetters();

    DeadLetterReader(KafkaConnection kafka, String topic) {
        this.consumer = new KafkaConsumer<>(kafka.consumer(Map.of(), Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Records between the current position and the end, per the broker now. */
    long remaining() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        return end.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - consumer.position(e.getKey()))).sum();
    }

    /** Calls {@code each} for every record up to the end offsets of now; unreadable letters get {@code null}. */
    void readToEnd(BiConsumer<ConsumerRecord<byte[], byte[]>, DeadLetter> each) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                    continue;
                }
                each.accept(r, codec.decode(r.value()) instanceof Decoded.Ok<DeadLetter> ok ? ok.value() : null);
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
