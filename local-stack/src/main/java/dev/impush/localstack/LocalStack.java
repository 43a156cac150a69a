package dev.impush.localstack;

import dev.impush.localstack.kafka.EmbeddedKafka;
import dev.impush.localstack.kafka.KafkaClusterProcess;
import dev.impush.localstack.kafka.KafkaFixture;
import dev.impush.localstack.kafka.KafkaTopics;
import dev.impush.localstack.redis.RedisClusterProcess;
import dev.impush.localstack.redis.RedisFixture;
import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.Topics;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A real Kafka broker and a real Redis, started the way {@link FixtureMode#resolve()} says, with
 * impush's topics created. Close it to stop both.
 */
public final class LocalStack implements AutoCloseable {
    private final FixtureMode mode;
    private final KafkaFixture kafka;
    private final RedisFixture redis;

    private LocalStack(FixtureMode mode, KafkaFixture kafka, RedisFixture redis) {
        this.mode = mode;
        this.kafka = kafka;
        this.redis = redis;
    }

    public static LocalStack start() {
        return start(FixtureMode.resolve());
    }

    public static LocalStack start(FixtureMode mode) {
        return start(mode, KafkaFixture.start(mode), () -> RedisFixture.start(mode));
    }

    /**
     * Secured as production clusters are: a broker that takes only SASL_SSL (SCRAM over TLS, see
     * {@link EmbeddedKafka#startSaslSsl()}) in this JVM, and a redis-server that takes only TLS and
     * an ACL user ({@link RedisServerProcess#startTls()}), whatever the mode.
     */
    public static LocalStack startSecured() {
        return start(FixtureMode.LOCAL, EmbeddedKafka.startSaslSsl(), RedisServerProcess::startTls);
    }

    /**
     * Redis as a Redis Cluster of three masters with a replica each ({@link RedisClusterProcess}:
     * local processes, whatever the mode), Kafka as {@code mode} says.
     */
    public static LocalStack startWithRedisCluster(FixtureMode mode) {
        return start(mode, KafkaFixture.start(mode), () -> RedisClusterProcess.start(3, 1));
    }

    /**
     * Kafka as a replicated cluster of three KRaft nodes ({@link KafkaClusterProcess}: local JVMs
     * that can be killed, whatever the mode), Redis as {@code mode} says.
     */
    public static LocalStack startWithKafkaCluster(FixtureMode mode) {
        return start(mode, KafkaClusterProcess.start(3), () -> RedisFixture.start(mode));
    }

    private static LocalStack start(FixtureMode mode, KafkaFixture kafka, Supplier<RedisFixture> redisStart) {
        RedisFixture redis;
        try {
            redis = redisStart.get();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        return new LocalStack(mode, kafka, redis);
    }

    /** Creates impush's default topics with {@code partitions} each (gateways compacted), and {@code extra}. */
    public LocalStack withDefaultTopics(int partitions, List<String> extra) {
        Map<String, Integer> topics = new java.util.HashMap<>(Map.of(
                Topics.EVENTS, partitions, Topics.GATEWAYS, partitions, Topics.JOBS, partitions,
                Topics.JOBS_BULK, partitions, Topics.FEEDBACK, partitions, Topics.DLQ, partitions,
                Topics.BROADCASTS, partitions, Topics.RECEIPTS, partitions));
        for (List<String> lane : List.of(Topics.DEFAULT_RETRY_TOPICS, Topics.DEFAULT_PARK_TOPICS,
                Topics.DEFAULT_BULK_RETRY_TOPICS, Topics.DEFAULT_BULK_PARK_TOPICS)) {
            lane.forEach(t -> topics.put(t, partitions));
        }
        extra.forEach(t -> topics.put(t, partitions));
        KafkaTopics.createAndAwait(kafka, topics, List.of(Topics.GATEWAYS));
        return this;
    }

    public FixtureMode mode() {
        return mode;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String redisUri() {
        return redis.uri();
    }

    public KafkaFixture kafka() {
        return kafka;
    }

    public RedisFixture redis() {
        return redis;
    }

    @Override
    public void close() {
        try {
            redis.close();
        } finally {
            kafka.close();
        }
    }
}
