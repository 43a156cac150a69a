package dev.impush.localstack.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates topics and waits until every partition has a leader that answers. */
public final class KafkaTopics {
    private KafkaTopics() {}

    /**
     * Creates each topic (name → partitions) that does not exist yet, then waits until
     * {@code listOffsets} succeeds on every partition. Without that wait an idempotent producer
     * started right after creation can have its first batch rejected and lose it silently
     * (NOT_LEADER_OR_FOLLOWER, then OutOfOrderSequenceException).
     *
     * @param compacted names of topics to create with {@code cleanup.policy=compact}
     */
    public static void createAndAwait(String bootstrap, Map<String, Integer> partitions, List<String> compacted) {
        createAndAwait(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), 1, partitions, compacted);
    }

    /**
     * {@link #createAndAwait(String, Map, List)} on {@code kafka}, with the client settings it needs,
     * replicated as {@code deploy/create-topics.sh} does on a cluster of 3 brokers or more (3 replicas,
     * {@code min.insync.replicas} 2, the brokers' default), else once.
     */
    public static void createAndAwait(KafkaFixture kafka, Map<String, Integer> partitions, List<String> compacted) {
        createAndAwait(kafka.clientProperties(Map.of()), Math.min(3, kafka.brokers()), partitions, compacted);
    }

    private static void createAndAwait(Map<String, Object> adminProps, int replication, Map<String, Integer> partitions,
                                       List<String> compacted) {
        try (Admin admin = Admin.create(adminProps)) {
            List<NewTopic> topics = new ArrayList<>();
            partitions.forEach((name, n) -> {
                NewTopic t = new NewTopic(name, n, (short) replication);
                if (compacted.contains(name)) {
                    t.configs(Map.of("cleanup.policy", "compact"));
                }
                topics.add(t);
            });
            for (var f : admin.createTopics(topics).values().values()) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach((name, n) -> {
                for (int p = 0; p < n; p++) {
                    latest.put(new TopicPartition(name, p), OffsetSpec.latest());
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(50);
                }
            }
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot create topics " + partitions.keySet(), e);
        }
    }
}
