package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.runtime.ConfigException;
import dev.impush.worker.PushWorker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A publication the broker refuses never hangs a worker or freezes a partition: a dead letter too
 * large for the dead-letter topic is replaced by a smaller one (the source record's place and the
 * first bytes), the record finishes and its offset is committed; and a worker whose topics are
 * missing refuses to start, naming them, instead of reading jobs it can never finish.
 */
@Timeout(180)
class PublishFailureIT {
    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void aWorkerWhoseTopicsAreMissing_refusesToStart_namingThem() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> pipeline.startWorker("missing-topics", Map.of("IMPUSH_RETRY_TIERS", "1s,7s")));
        assertTrue(e.getMessage().contains("push.retry.7s") && !e.getMessage().contains("push.retry.1s"), e.getMessage());
    }

    @Test
    void aDeadLetterTheBrokerRefuses_isReplacedByASmallerOne_andThePartitionMovesOn() throws Exception {
        String bootstrap = pipeline.bootstrapServers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             DeadLetterCounter dlq = new DeadLetterCounter(bootstrap, Topics.DLQ);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            // the dead-letter topic takes records of at most 16 KB: a letter carrying the job is refused
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, Topics.DLQ),
                    List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "16384"),
                            AlterConfigOp.OpType.SET)))).all().get();
            PushWorker worker = pipeline.startWorker("refused-letters");
            Population.Device phone = new Population.Device("refused", "refused-phone", Channel.FCM, "fcm-refused",
                    MockVendors.ANDROID_APP, false, true);
            pipeline.registerAtVendors(new Population(List.of(phone)), Instant.now().minusSeconds(60));
            byte[] key = "refused".getBytes(StandardCharsets.UTF_8);

            pipeline.fcm().failNext(1, 400, "INVALID_ARGUMENT", null);
            RecordMetadata big = producer.send(new ProducerRecord<>(Topics.JOBS, key,
                    Json.write(TestJobs.job("m-big", incompressibleText(6000), Duration.ofMinutes(10), List.of(phone))))).get();
            Await.until(Duration.ofSeconds(60), () -> !letters(dlq.poll().letters(), big.offset()).isEmpty(),
                    () -> "no dead letter for the refused job; dlq " + dlq.byReason());
            DeadLetter letter = letters(dlq.letters(), big.offset()).getFirst();
            assertEquals(DeadLetterReason.REJECTED, letter.reason());
            assertTrue(letter.job() == null, "the job did not fit: the letter points at the record instead");
            assertTrue(letter.rawTruncated());
            assertEquals(new DeadLetter.Source(Topics.JOBS, big.partition(), big.offset(), "refused"), letter.source());

            RecordMetadata after = producer.send(new ProducerRecord<>(Topics.JOBS, key,
                    Json.write(TestJobs.job("m-after", phone)))).get();
            Await.until(Duration.ofSeconds(60), () -> pipeline.ledger(Channel.FCM).requests("m-after", phone.deviceId()) == 1,
                    () -> "the job after the refused letter was not delivered");
            TopicPartition tp = new TopicPartition(Topics.JOBS, after.partition());
            Await.until(Duration.ofSeconds(30), () -> TestJobs.committed(admin, tp) > after.offset(),
                    () -> "the partition's commit is stuck at " + TestJobs.committed(admin, tp));
            assertTrue(worker.isRunning());
            assertEquals(1, letters(dlq.poll().letters(), big.offset()).size(), "one letter, not a retry loop");
        }
    }

    /** CJK text that compression cannot shrink below the topic's limit. */
    private static String incompressibleText(int chars) {
        java.util.Random random = new java.util.Random(7);
        StringBuilder b = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            b.append((char) (0x4E00 + random.nextInt(0x5000)));
        }
        return b.toString();
    }

    private static List<DeadLetter> letters(List<DeadLetter> all, long offset) {
        return all.stream().filter(l -> l.source().offset() == offset && "refused".equals(l.source().key())).toList();
    }
}
