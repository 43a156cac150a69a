package dev.impush.e2e;

import dev.impush.model.Topics;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.job.PushJob;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The detector's decisions, read from {@code push.jobs} (from the start, read committed) before any
 * worker: which messages got a push because their device was offline, and which because it was
 * online and never acked (a zombie connection: the job id says {@code /zombie/}), first seen when.
 */
final class JobWatch implements AutoCloseable {
    private final Map<String, Long> zombieSeenAt = new ConcurrentHashMap<>();
    private final Set<String> offline = ConcurrentHashMap.newKeySet();
    private final Map<String, PushJob> byId = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    JobWatch(String bootstrap) {
        ContractCodec<PushJob> codec = ContractCodec.jobs(ContractCodec.DEFAULT_MAX_BYTES);
        thread = Thread.ofPlatform().daemon().name("job-watch").start(() -> {
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> tps = c.partitionsFor(Topics.JOBS).stream()
                        .map(p -> new TopicPartition(Topics.JOBS, p.partition())).toList();
                c.assign(tps);
                c.seekToBeginning(tps);
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                        if (codec.decode(r.value()) instanceof Decoded.Ok<PushJob> ok) {
                            byId.put(ok.value().jobId(), ok.value());
                            if (ok.value().jobId().contains("/zombie/")) {
                                zombieSeenAt.putIfAbsent(ok.value().messageId(), System.currentTimeMillis());
                            } else {
                                offline.add(ok.value().messageId());
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    throw e;
                }
            }
        });
    }

    /** Message ids pushed to a device that was online and did not ack. */
    Set<String> zombies() {
        return new TreeSet<>(zombieSeenAt.keySet());
    }

    /** Message ids pushed to a device without a live connection. */
    Set<String> offline() {
        return new TreeSet<>(offline);
    }

    /** The job with this id, once it was published. */
    Optional<PushJob> job(String jobId) {
        return Optional.ofNullable(byId.get(jobId));
    }

    long zombieSeenAt(String messageId) {
        return zombieSeenAt.get(messageId);
    }

    /** Waits until the consumer group {@code group} has committed {@code im.events} up to its end. */
    static void awaitCaughtUp(Admin admin, String group, Duration timeout) throws InterruptedException {
        Await.until(timeout, () -> {
            try {
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS).partitions()
                        .forEach(p -> latest.put(new TopicPartition(Topics.EVENTS, p.partition()), OffsetSpec.latest()));
                var ends = admin.listOffsets(latest).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    return e.getValue().offset() == 0 || c != null && c.offset() >= e.getValue().offset();
                });
            } catch (Exception e) {
                return false;
            }
        }, () -> "the detector (" + group + ") did not catch up on " + Topics.EVENTS);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
