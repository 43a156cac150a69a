package dev.impush.worker.pipeline;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * A polled record handed to the pipeline.
 *
 * @param generation the assignment of its partition it was polled in: a record of an assignment
 *                   that has since been revoked finishes without moving the new one's offsets
 */
public record Incoming(ConsumerRecord<byte[], byte[]> record, long generation) {
    /** The partition it was polled from. */
    public TopicPartition partition() {
        return new TopicPartition(record.topic(), record.partition());
    }
}
