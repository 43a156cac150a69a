package dev.impush.worker.replay;

import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the dead-letter topic up to where it ended when the reader started. Without a group it
 * reads everything; with one it starts at the group's committed position and can commit its
 * progress, so an interrupted replay resumes where it stopped.
 */
final class DeadLetterReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final boolean grouped;
    private final ContractCodec<DeadLetter> codec = ContractCodec.deadLetters();

    DeadLetterReader(String bootstrap, String topic, String group) {
        Map<String, Object> props = new HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.grouped = group != null;
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        if (!grouped) {
            consumer.seekToBeginning(partitions);
        }
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

    /** Records that everything before {@code record} (inclusive) is handled. */
    void commitThrough(ConsumerRecord<?, ?> record) {
        if (grouped) {
            consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                    new OffsetAndMetadata(record.offset() + 1)));
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
