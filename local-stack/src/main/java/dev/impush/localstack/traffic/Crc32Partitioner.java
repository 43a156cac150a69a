package dev.impush.localstack.traffic;

import java.util.Map;
import java.util.zip.CRC32;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;

/**
 * Partitions as librdkafka does by default ({@code consistent_random}: CRC32 of the key modulo the
 * partition count), and so as IM servers in C, C++, Go (confluent-kafka-go), Python or .NET do unless
 * told otherwise. For tests and benchmarks of producers that are not Kafka's Java client.
 */
public final class Crc32Partitioner implements Partitioner {
    /** The partition of {@code partitions} this partitioner gives {@code key}. */
    public static int partitionFor(byte[] key, int partitions) {
        CRC32 crc = new CRC32();
        crc.update(key);
        return (int) (crc.getValue() % partitions);
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionCountForTopic(topic);
        return keyBytes == null ? 0 : partitionFor(keyBytes, partitions);
    }

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    public void close() {}
}
