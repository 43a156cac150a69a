package dev.impush.localstack.kafka;

/** A running Kafka cluster for tests, the quickstart and benchmarks. {@link #close()} stops it. */
public interface KafkaFixture extends AutoCloseable {
    String bootstrapServers();

    @Override
    void close();
}
