package dev.impush.worker.pipeline;

import org.apache.kafka.common.TopicPartition;

/** A record that needs nothing more: its offset may be committed. See {@link Incoming#generation()}. */
public record Finished(TopicPartition partition, long offset, long generation) {}
