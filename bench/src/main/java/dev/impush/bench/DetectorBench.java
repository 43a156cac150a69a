package dev.impush.bench;

import dev.impush.detector.DetectorConfig;
import dev.impush.detector.DetectorTopology;
import dev.impush.detector.OfflineDetector;
import dev.impush.localstack.kafka.KafkaTopics;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.event.AckedEvent;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.GatewayLease;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.PresenceEvent;
import dev.impush.model.event.RoutedEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Events/s through the detector's Kafka Streams topology (exactly_once_v2) on the real broker:
 * preloads registrations and presence for a population, then chat messages (with routed/acked for
 * online devices, as the IM server sends them), starts the detector, and times RUNNING → the
 * application's committed input offsets reaching the end of {@code im.events}. The detector runs
 * with its defaults (ack tracking {@code routed}); the ack timeout is a minute, so no deadline
 * passes during a run: every online delivery costs a wait started at its routed and ended by its acked.
 * With a {@code partitioner} other than Kafka's default, most events take the detector's reroute hop.
 */
final class DetectorBench {
    private DetectorBench() {}

    /** @param acks how many of the events were routed or acked */
    record Result(long events, long messages, long acks, long jobs, double seconds, double eventsPerSecond) {}

    static Result run(String bootstrap, String tag, int devices, double offlineRatio, int messages, int partitions,
                      int threads, Duration commitInterval, Class<? extends Partitioner> partitioner) throws Exception {
        String events = "bench." + tag + ".events";
        String gateways = "bench." + tag + ".gateways";
        String jobs = "bench." + tag + ".jobs";
        String feedback = "bench." + tag + ".feedback";
        String dlq = "bench." + tag + ".dlq";
        KafkaTopics.createAndAwait(bootstrap, Map.of(events, partitions, gateways, partitions, jobs, partitions,
                feedback, partitions, dlq, partitions), List.of(gateways));

        Population population = Population.generate(Math.max(1, (int) Math.round(devices / 1.5)), offlineRatio, 0.5, 0.0, 7);
        Map<String, List<Population.Device>> byUser = population.devices().stream()
                .collect(Collectors.groupingBy(Population.Device::userId, LinkedHashMap::new, Collectors.toList()));
        List<String> users = new ArrayList<>(byUser.keySet());
        Instant at = Instant.now();
        long count = 0;
        long acks = 0;
        Map<String, Object> producer = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"));
        if (partitioner != null) {
            producer.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, partitioner);
        }
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producer, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            p.send(new ProducerRecord<>(gateways, bytes("gw-1"), Json.write(GatewayLease.of("gw-1", 3600, at))));
            for (Population.Device d : population.devices()) {
                send(p, events, d.userId(), new DeviceEvent(Contract.VERSION, DeviceEvent.Action.REGISTER, d.userId(),
                        d.deviceId(), d.channel(), d.token(), d.appId(), false, "en-US", true, at));
                send(p, events, d.userId(), new PresenceEvent(Contract.VERSION, d.userId(), d.deviceId(),
                        d.online() ? PresenceEvent.State.ONLINE : PresenceEvent.State.OFFLINE,
                        d.online() ? "gw-1" : null, at));
                count += 2;
            }
            Random random = new Random(11);
            for (int m = 0; m < messages; m++) {
                String user = users.get(random.nextInt(users.size()));
                String id = tag + "-m" + m;
                Instant sent = at.plusMillis(m);
                send(p, events, user, new MessageEvent(Contract.VERSION, id, user, "c-" + user,
                        MessageEvent.ConversationType.DIRECT, "u-sender", "Alice", "hello " + m, false, 1, sent, 3600,
                        Priority.HIGH, false));
                count++;
                for (Population.Device d : byUser.get(user)) {
                    if (d.online()) {
                        send(p, events, user, new RoutedEvent(Contract.VERSION, id, user, d.deviceId(), sent));
                        send(p, events, user, new AckedEvent(Contract.VERSION, id, user, d.deviceId(), sent));
                        count += 2;
                        acks += 2;
                    }
                }
            }
            p.flush();
        }

        String appId = "bench-detector-" + tag;
        Path stateDir = Files.createTempDirectory("impush-bench-detector");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int i = 0; i < partitions; i++) {
                latest.put(new TopicPartition(events, i), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, r) -> end.put(tp, r.offset()));
            long endSum = end.values().stream().mapToLong(Long::longValue).sum();

            OfflineDetector detector = OfflineDetector.start(DetectorConfig.builder()
                    .bootstrapServers(bootstrap).applicationId(appId).stateDir(stateDir)
                    .eventsTopic(events).gatewaysTopic(gateways).jobsTopic(jobs).feedbackTopic(feedback).dlqTopic(dlq)
                    .streamThreads(threads).commitInterval(commitInterval).ackTimeout(Duration.ofSeconds(60)).opsPort(0)
                    .build(), new SimpleMeterRegistry());
            try {
                if (!detector.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("detector did not reach RUNNING: " + detector.state());
                }
                long t0 = System.nanoTime();
                long t1;
                long deadline = t0 + Duration.ofSeconds(180).toNanos();
                while (true) {
                    Map<TopicPartition, OffsetAndMetadata> committed =
                            admin.listConsumerGroupOffsets(appId).partitionsToOffsetAndMetadata().get();
                    long done = end.keySet().stream().mapToLong(tp -> {
                        OffsetAndMetadata o = committed.get(tp);
                        return o == null ? 0 : o.offset();
                    }).sum();
                    if (done >= endSum && rerouteRead(admin, appId, partitions, committed)) {
                        t1 = System.nanoTime();
                        break;
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("detector processed " + done + " of " + endSum + " events in 180 s");
                    }
                    Thread.sleep(20);
                }
                double seconds = (t1 - t0) / 1e9;
                return new Result(count, messages, acks, countJobs(bootstrap, jobs), seconds, count / seconds);
            } finally {
                detector.close();
                deleteTopics(admin, "bench." + tag + ".", appId + "-");
            }
        }
    }

    /**
     * Whether the events the detector rerouted (a producer with another partitioner) were read too:
     * once all of {@code im.events} is committed, so is everything rerouted from it (exactly-once), and
     * the internal topic's committed offsets must reach its end (less a transaction marker).
     */
    private static boolean rerouteRead(Admin admin, String appId, int partitions,
                                       Map<TopicPartition, OffsetAndMetadata> committed) throws Exception {
        String topic = appId + "-" + DetectorTopology.EVENTS_BY_USER + "-repartition";
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int i = 0; i < partitions; i++) {
            latest.put(new TopicPartition(topic, i), OffsetSpec.latest());
        }
        return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(e -> {
            OffsetAndMetadata o = committed.get(e.getKey());
            return (o == null ? 0 : o.offset()) >= e.getValue().offset() - 1;
        });
    }

    /**
     * Deletes a run's topics and the application's internal ones, so every run meets a broker in the
     * same state rather than one holding the partitions of every earlier round.
     */
    private static void deleteTopics(Admin admin, String... prefixes) throws Exception {
        List<String> mine = admin.listTopics().names().get().stream()
                .filter(t -> java.util.Arrays.stream(prefixes).anyMatch(t::startsWith)).toList();
        admin.deleteTopics(mine).all().get();
    }

    private static long countJobs(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            c.assign(tps);
            long n = 0;
            int empty = 0;
            while (empty < 3) {
                int got = c.poll(Duration.ofMillis(300)).count();
                n += got;
                empty = got == 0 ? empty + 1 : 0;
            }
            return n;
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, String key, Object event) {
        p.send(new ProducerRecord<>(topic, bytes(key), Json.write(event)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
