package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.FixtureMode;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.worker.metrics.WorkerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A send that waits longer than its claim's lease (here in a quota queue: one FCM send a second,
 * a 2 s lease) keeps its claim: duplicates of its job that arrive meanwhile wait for it instead of
 * claiming the key again and sending a second time, and every record finishes, so the partition's
 * commit moves to its end.
 */
@Timeout(180)
class ClaimRenewalIT {
    private static final int JOBS = 6;

    @Test
    void sendsWaitingLongerThanTheLease_keepTheirClaims_andDuplicatesWaitForThem() throws Exception {
        LocalPipeline.Options options = new LocalPipeline.Options(FixtureMode.resolve(), 4, false,
                Duration.ofSeconds(2), "1s,2s,4s", Map.of("IMPUSH_FCM_QPS", "1", "IMPUSH_FCM_BURST", "1"), LocalPipeline.Clusters.PLAIN);
        try (LocalPipeline pipeline = LocalPipeline.start(options);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            pipeline.startWorker("slow-quota");
            List<Population.Device> phones = IntStream.rangeClosed(1, JOBS).mapToObj(i -> new Population.Device(
                    "slow", "slow-phone-" + i, Channel.FCM, "fcm-slow-" + i, MockVendors.ANDROID_APP, false, true)).toList();
            pipeline.registerAtVendors(new Population(phones), Instant.now().minusSeconds(60));
            byte[] key = "slow".getBytes(StandardCharsets.UTF_8);
            List<byte[]> jobs = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                jobs.add(Json.write(TestJobs.job("slow-m" + (i + 1), phones.get(i))));
            }
            for (byte[] job : jobs) {
                producer.send(new ProducerRecord<>(Topics.JOBS, key, job)).get();
            }
            // the last jobs wait about JOBS seconds in the quota queue: their claims are older than a
            // lease when their duplicates arrive
            Thread.sleep(3_000);
            RecordMetadata last = null;
            for (byte[] job : jobs.subList(JOBS - 2, JOBS)) {
                last = producer.send(new ProducerRecord<>(Topics.JOBS, key, job)).get();
            }

            Await.until(Duration.ofSeconds(60), () -> IntStream.rangeClosed(1, JOBS).allMatch(i ->
                    pipeline.ledger(Channel.FCM).requests("slow-m" + i, "slow-phone-" + i) >= 1),
                    () -> "not every job was delivered");
            TopicPartition tp = new TopicPartition(Topics.JOBS, last.partition());
            long end = last.offset() + 1;
            Await.until(Duration.ofSeconds(30), () -> TestJobs.committed(admin, tp) == end,
                    () -> "the partition's commit stopped at " + TestJobs.committed(admin, tp) + ", not " + end);
            for (int i = 1; i <= JOBS; i++) {
                assertEquals(1, pipeline.ledger(Channel.FCM).requests("slow-m" + i, "slow-phone-" + i),
                        "slow-m" + i + " sent once");
            }
            assertTrue(pipeline.count(WorkerMetrics.DUPLICATES) >= 2, "the duplicates were recognised");
            assertEquals(0.0, pipeline.count(WorkerMetrics.CLAIMS_LOST));
        }
    }
}
