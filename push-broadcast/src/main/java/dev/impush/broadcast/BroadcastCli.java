package dev.impush.broadcast;

import dev.impush.model.Contract;
import dev.impush.model.Topics;
import dev.impush.model.broadcast.BroadcastCancel;
import dev.impush.model.broadcast.BroadcastRun;
import dev.impush.model.broadcast.BroadcastTallies;
import dev.impush.model.codec.Json;
import dev.impush.runtime.Env;
import dev.impush.runtime.kafka.KafkaConnection;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code scripts/broadcast}: how far a broadcast got, and cancelling one. Reads the services' settings
 * from the environment (the same {@code IMPUSH_*} keys). The fan-out's progress comes from the
 * changelog of the detector's broadcasts store ({@link BroadcastRun#changelog}), where every
 * partition's task commits its progress with its jobs; what became of the devices, from the workers'
 * counts in Redis ({@link BroadcastTallies}).
 */
@Command(name = "broadcast", mixinStandardHelpOptions = true, subcommands = {BroadcastCli.Status.class,
        BroadcastCli.Cancel.class}, description = "Broadcast progress and cancellation (README: Broadcasts).")
public final class BroadcastCli {
    /** The detector's {@code IMPUSH_DETECTOR_APP_ID} and its default. */
    static final String APP_ID = "IMPUSH_DETECTOR_APP_ID";
    static final String DEFAULT_APP_ID = "impush-offline-detector";

    public static void main(String[] args) {
        System.exit(new CommandLine(new BroadcastCli()).execute(args));
    }

    /**
     * Every partition's latest progress of {@code broadcastId}, read to the end of the detector's
     * changelog (committed records only); empty when no partition has it (unknown, or forgotten).
     */
    public static List<BroadcastRun> runs(KafkaConnection kafka, String applicationId, String broadcastId,
                                          Duration timeout) {
        String topic = BroadcastRun.changelog(applicationId);
        Map<Integer, BroadcastRun> byPartition = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(Map.of(),
                Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), timeout) < e.getValue())) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (!broadcastId.equals(r.key())) {
                        continue;
                    }
                    if (r.value() == null) {
                        byPartition.remove(r.partition());
                    } else {
                        byPartition.put(r.partition(), read(r.value()));
                    }
                }
            }
        }
        return List.copyOf(byPartition.values());
    }

    private static BroadcastRun read(byte[] json) {
        try {
            return Json.mapper().readValue(json, BroadcastRun.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable broadcast progress: " + e.getMessage(), e);
        }
    }

    /** The workers' counts of {@code broadcastId}'s devices by outcome (delivered, failed, dropped); empty before any. */
    public static Map<String, Long> outcomes(RedisConnection redis, String broadcastId, Duration timeout) throws Exception {
        try (RedisLink link = redis.open(o -> o, timeout); RedisLink.Session session = link.connect()) {
            Map<String, Long> out = new TreeMap<>();
            session.commands().hgetall(BroadcastTallies.key(broadcastId)).get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((field, n) -> out.put(field, Long.parseLong(n)));
            return out;
        }
    }

    @Command(name = "status", description = "Progress of a broadcast over every partition, with a progress bar.")
    static final class Status implements Callable<Integer> {
        @Parameters(index = "0", description = "the broadcast id")
        String broadcastId;
        @Option(names = "--watch", description = "print again every N seconds until it ends")
        int watchSeconds;
        @Option(names = "--timeout", description = "how long to read the progress, seconds (default ${DEFAULT-VALUE})")
        int timeoutSeconds = 30;

        @Override
        public Integer call() throws Exception {
            Env env = Env.system();
            String appId = env.string(APP_ID, DEFAULT_APP_ID);
            KafkaConnection kafka = KafkaConnection.fromEnv(env);
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            while (true) {
                List<BroadcastRun> runs = runs(kafka, appId, broadcastId, timeout);
                if (runs.isEmpty()) {
                    System.out.println("broadcast " + broadcastId + ": unknown to the detector " + appId
                            + " (never read, or forgotten IMPUSH_DETECTOR_BROADCAST_RETENTION_H after it ended)");
                    return 1;
                }
                BroadcastProgress p = BroadcastProgress.of(broadcastId, runs);
                System.out.println(p.describe());
                System.out.println("  devices " + workers(env, timeout));
                if (watchSeconds <= 0 || p.status() != BroadcastRun.Status.ACTIVE) {
                    return 0;
                }
                TimeUnit.SECONDS.sleep(watchSeconds);
            }
        }

        /** The workers' counts, or why there are none. */
        private String workers(Env env, Duration timeout) {
            try {
                Map<String, Long> n = outcomes(RedisConnection.fromEnv(env), broadcastId, timeout);
                return String.format(Locale.ROOT, "delivered %,d, failed %,d (dead-lettered), dropped %,d (expired,"
                        + " invalid token)", n.getOrDefault(BroadcastTallies.DELIVERED, 0L),
                        n.getOrDefault(BroadcastTallies.FAILED, 0L), n.getOrDefault(BroadcastTallies.DROPPED, 0L));
            } catch (Exception e) {
                return "delivered/failed/dropped unknown: Redis (IMPUSH_REDIS_URI) did not answer: " + e;
            }
        }
    }

    @Command(name = "cancel", description = "Publish a broadcast-cancel: every partition stops at its next step.")
    static final class Cancel implements Callable<Integer> {
        @Parameters(index = "0", description = "the broadcast id")
        String broadcastId;

        @Override
        public Integer call() throws Exception {
            Env env = Env.system();
            String topic = env.string("IMPUSH_TOPIC_BROADCASTS", Topics.BROADCASTS);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaConnection.fromEnv(env).producer(
                    Map.of(), Map.of(ProducerConfig.ACKS_CONFIG, "all")), new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, broadcastId.getBytes(StandardCharsets.UTF_8),
                        Json.write(new BroadcastCancel(Contract.VERSION, broadcastId, Instant.now())))).get();
            }
            System.out.println("broadcast " + broadcastId + ": cancel published to " + topic);
            return 0;
        }
    }
}
