package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.DetectorConfig;
import dev.impush.detector.broadcast.BroadcastSettings;
import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.MisplacedEvents;
import dev.impush.detector.OfflineDetector;
import dev.impush.detector.processor.PlacementCheck;
import dev.impush.localstack.FixtureMode;
import dev.impush.localstack.kafka.KafkaFixture;
import dev.impush.localstack.kafka.KafkaTopics;
import dev.impush.localstack.traffic.Crc32Partitioner;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.feedback.InvalidTokenFeedback;
import dev.impush.model.job.PushJob;
import dev.impush.runtime.kafka.KafkaConnection;
import dev.impush.worker.publish.OutcomePublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An IM server that is not written in Java: its events are produced with librdkafka's default
 * partitioner ({@link Crc32Partitioner}), so most users' events land on another partition than the
 * one holding their state and meeting their feedback (which the worker writes, as Kafka's Java
 * client partitions). On a real broker, with {@value #PARTITIONS} partitions:
 * <ul>
 *   <li>{@code reroute} (the default): every offline device is pushed, no online one is, and the
 *       invalid-token feedback the worker publishes removes the tokens (the next message pushes only
 *       the devices left);</li>
 *   <li>{@code dead-letter}: misplaced users' events are refused with reason {@code misplaced}; users
 *       whose id both partitioners put on the same partition are served as usual.</li>
 * </ul>
 */
@Timeout(300)
class PartitionerIT {
    private static final int PARTITIONS = 6;
    private static final int USERS = 24;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static KafkaFixture kafka;

    @BeforeAll
    static void start() {
        kafka = KafkaFixture.start(FixtureMode.resolve());
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void reroute_pushesAndRemovesTokensWhateverThePartitioner() throws Exception {
        Run run = Run.create("reroute");
        List<String> users = run.users();
        assertTrue(misplaced(users).size() >= USERS / 2, "the CRC32 partitioner misplaces most users: " + misplaced(users));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (OfflineDetector detector = run.detector(MisplacedEvents.REROUTE, registry);
             ImTraffic traffic = run.traffic()) {
            traffic.connect(run.population(), "gw-1", Instant.now());
            users.forEach(u -> traffic.message(u, u + "-m1", "hi", Instant.now()));
            traffic.flush();
            Map<String, PushJob> first = run.jobs(users.size());
            assertEquals(new TreeSet<>(users.stream().map(u -> u + "-m1").toList()), first.keySet());
            first.values().forEach(job -> assertEquals(Set.of(job.userId() + "-offline"),
                    job.targets().stream().map(t -> t.deviceId()).collect(Collectors.toSet()),
                    "only the offline device of " + job.userId()));

            // the worker's feedback: every other user's offline device has a dead token
            List<String> dead = IntStream.range(0, users.size()).filter(i -> i % 2 == 0).mapToObj(users::get).toList();
            run.feedback(dead);
            Thread.sleep(1_000); // feedback and events are separate inputs: let the feedback be read first
            users.forEach(u -> traffic.message(u, u + "-m2", "hi", Instant.now()));
            traffic.flush();
            Set<String> alive = new TreeSet<>(users);
            dead.forEach(alive::remove);
            Map<String, PushJob> second = run.jobs(users.size() + alive.size());
            second.keySet().removeAll(first.keySet());
            assertEquals(alive.stream().map(u -> u + "-m2").collect(Collectors.toCollection(TreeSet::new)),
                    second.keySet(), "pushed again: only the users whose token the feedback did not remove");
            assertTrue(registry.get(DetectorMetrics.MISPLACED).tag("action", "reroute").counter().count() > 0);
            assertEquals(0, run.deadLetters().size());
        }
    }

    @Test
    void deadLetter_refusesMisplacedEventsAndServesTheRest() throws Exception {
        Run run = Run.create("deadletter");
        List<String> users = run.users();
        Set<String> misplaced = misplaced(users);
        try (OfflineDetector detector = run.detector(MisplacedEvents.DEAD_LETTER, new SimpleMeterRegistry());
             ImTraffic traffic = run.traffic()) {
            traffic.connect(run.population(), "gw-1", Instant.now());
            users.forEach(u -> traffic.message(u, u + "-m1", "hi", Instant.now()));
            traffic.flush();
            // each misplaced user: two registrations, two presences, one message
            List<DeadLetter> letters = run.awaitDeadLetters(misplaced.size() * 5);
            assertTrue(letters.stream().allMatch(l -> l.reason() == DeadLetterReason.MISPLACED), letters.toString());
            assertEquals(misplaced, letters.stream().map(l -> l.source().key()).collect(Collectors.toSet()));
            Set<String> served = new TreeSet<>(users);
            served.removeAll(misplaced);
            assertEquals(served.stream().map(u -> u + "-m1").collect(Collectors.toSet()),
                    run.jobs(served.size()).keySet());
        }
    }

    private static Set<String> misplaced(List<String> users) {
        return users.stream().filter(u -> Crc32Partitioner.partitionFor(u.getBytes(StandardCharsets.UTF_8), PARTITIONS)
                != PlacementCheck.partitionFor(u, PARTITIONS)).collect(Collectors.toCollection(TreeSet::new));
    }

    /** One test's topics (its own, so the two modes never read each other's events) and users. */
    private record Run(String tag) {
        static Run create(String tag) {
            Run run = new Run(tag);
            KafkaTopics.createAndAwait(kafka, Map.of(run.topic("events"), PARTITIONS, run.topic("gateways"), 1,
                    run.topic("jobs"), PARTITIONS, run.topic("feedback"), PARTITIONS, run.topic("dlq"), 1,
                    run.topic("broadcasts"), 1, run.topic("jobs.bulk"), 1),
                    List.of(run.topic("gateways")));
            return run;
        }

        String topic(String name) {
            return "partitioner-" + tag + "." + name;
        }

        List<String> users() {
            return IntStream.range(0, USERS).mapToObj(i -> tag + "-u" + i).toList();
        }

        /** Each user has a device online on gw-1 and one offline. */
        Population population() {
            List<Population.Device> devices = new ArrayList<>();
            for (String u : users()) {
                devices.add(new Population.Device(u, u + "-online", Channel.APNS, token(u, 1), "com.example.chat", true, true));
                devices.add(new Population.Device(u, u + "-offline", Channel.APNS, token(u, 2), "com.example.chat", false, true));
            }
            return new Population(devices);
        }

        static String token(String user, int n) {
            return "%064x".formatted(Math.abs((long) user.hashCode()) * 10 + n);
        }

        ImTraffic traffic() {
            return new ImTraffic(kafka.clientProperties(Map.of(ProducerConfig.PARTITIONER_CLASS_CONFIG,
                    Crc32Partitioner.class.getName())), topic("events"), topic("gateways"));
        }

        OfflineDetector detector(MisplacedEvents mode, SimpleMeterRegistry registry) throws Exception {
            OfflineDetector detector = OfflineDetector.start(DetectorConfig.builder()
                    .bootstrapServers(kafka.bootstrapServers()).applicationId("partitioner-" + tag)
                    .stateDir(Files.createTempDirectory("impush-partitioner")).misplacedEvents(mode)
                    .eventsTopic(topic("events")).gatewaysTopic(topic("gateways")).jobsTopic(topic("jobs"))
                    .feedbackTopic(topic("feedback")).dlqTopic(topic("dlq"))
                    .broadcasts(BroadcastSettings.DEFAULTS.withTopic(topic("broadcasts"))
                            .withBulkJobsTopic(topic("jobs.bulk")))
                    .opsPort(0).build(), registry);
            assertTrue(detector.awaitRunning(WAIT), "detector running");
            return detector;
        }

        /** Invalid-token feedback for each user's offline device, published as the worker publishes it. */
        void feedback(List<String> users) throws Exception {
            try (OutcomePublisher publisher = new OutcomePublisher(KafkaConnection.plaintext(kafka.bootstrapServers()),
                    "partitioner-it", topic("feedback"), topic("dlq"))) {
                List<CompletableFuture<Void>> sent = new ArrayList<>();
                for (String u : users) {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    publisher.feedback(InvalidTokenFeedback.of(u, u + "-offline", Channel.APNS, token(u, 2), Instant.now(),
                            "Unregistered"), e -> {
                        if (e == null) {
                            done.complete(null);
                        } else {
                            done.completeExceptionally(e);
                        }
                    });
                    sent.add(done);
                }
                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
            }
        }

        /** Every job on the jobs topic by message id, once at least {@code expected} were read. */
        Map<String, PushJob> jobs(int expected) {
            ContractCodec<PushJob> codec = ContractCodec.jobs(ContractCodec.DEFAULT_MAX_BYTES);
            return read(topic("jobs"), expected, v -> codec.decode(v) instanceof Decoded.Ok<PushJob> ok ? ok.value() : null)
                    .stream().collect(Collectors.toMap(PushJob::messageId, Function.identity()));
        }

        List<DeadLetter> awaitDeadLetters(int expected) {
            ContractCodec<DeadLetter> codec = ContractCodec.deadLetters();
            return read(topic("dlq"), expected, v -> codec.decode(v) instanceof Decoded.Ok<DeadLetter> ok ? ok.value() : null);
        }

        List<DeadLetter> deadLetters() {
            return awaitDeadLetters(0);
        }

        /** Reads {@code topic} from the start (read committed) until {@code expected} records and then 1 s more, or {@link #WAIT}. */
        private <T> List<T> read(String topic, int expected, Function<byte[], T> decode) {
            List<T> out = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(kafka.clientProperties(Map.of(
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> tps = c.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                c.assign(tps);
                c.seekToBeginning(tps);
                long deadline = System.nanoTime() + WAIT.toNanos();
                long settled = Long.MAX_VALUE;
                while (System.nanoTime() < Math.min(deadline, settled)) {
                    for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                        T value = decode.apply(r.value());
                        if (value != null) {
                            out.add(value);
                        }
                    }
                    if (out.size() >= expected && settled == Long.MAX_VALUE) {
                        settled = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                    }
                }
            }
            return out;
        }
    }
}
