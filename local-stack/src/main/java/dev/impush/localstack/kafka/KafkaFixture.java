package dev.impush.localstack.kafka;

import dev.impush.localstack.FixtureMode;
import java.util.HashMap;
import java.util.Map;

/** A running Kafka cluster for tests, the quickstart and benchmarks. {@link #close()} stops it. */
public interface KafkaFixture extends AutoCloseable {
    /** A broker in a container ({@link FixtureMode#CONTAINERS}) or in this JVM ({@link FixtureMode#LOCAL}). */
    static KafkaFixture start(FixtureMode mode) {
        return mode == FixtureMode.CONTAINERS ? ContainerKafka.start() : EmbeddedKafka.start();
    }

    String bootstrapServers();

    /** How many brokers it has: topics created on it are replicated up to 3 times. */
    default int brokers() {
        return 1;
    }

    /** What a Kafka client sets, besides the bootstrap servers, to be let in (security settings). */
    default Map<String, Object> clientProperties() {
        return Map.of();
    }

    /** The {@code IMPUSH_KAFKA_*} environment of a service that uses this cluster. */
    default Map<String, String> serviceEnv() {
        return Map.of("IMPUSH_KAFKA_BOOTSTRAP", bootstrapServers());
    }

    /** {@link #clientProperties()} with the bootstrap servers and {@code more}. */
    default Map<String, Object> clientProperties(Map<String, ?> more) {
        Map<String, Object> props = new HashMap<>(clientProperties());
        props.put("bootstrap.servers", bootstrapServers());
        props.putAll(more);
        return props;
    }

    @Override
    void close();
}
