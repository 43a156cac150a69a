package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.FixtureMode;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.PushJob;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A delivery that must wait long (Xiaomi's daily quota is spent: until midnight) holds up no other
 * channel: it waits in Xiaomi's parking topic, while an FCM retry of the same user, behind it on
 * the same retry-tier partition before, is delivered within seconds.
 */
@Timeout(180)
class RetryHeadOfLineIT {

    @Test
    void aSpentQuota_parksItsChannel_andOtherChannelsRetriesStillFlow() throws Exception {
        LocalPipeline.Options options = new LocalPipeline.Options(FixtureMode.resolve(), 4, false,
                Duration.ofSeconds(5), "1s,2s,4s", Map.of("IMPUSH_XIAOMI_DAILY_QUOTA", "1",
                "IMPUSH_RETRY_MAX_ATTEMPTS", "1"), LocalPipeline.Clusters.PLAIN);
        try (LocalPipeline pipeline = LocalPipeline.start(options);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            pipeline.startWorker("head-of-line");
            Population.Device mi = new Population.Device("hol", "hol-mi", Channel.XIAOMI, "xiaomi-hol",
                    MockVendors.ANDROID_APP, false, true);
            Population.Device pixel = new Population.Device("hol", "hol-pixel", Channel.FCM, "fcm-hol",
                    MockVendors.ANDROID_APP, false, true);
            pipeline.registerAtVendors(new Population(List.of(mi, pixel)), Instant.now().minusSeconds(60));
            byte[] key = "hol".getBytes(StandardCharsets.UTF_8);

            send(producer, key, TestJobs.job("hol-m1", "b", Duration.ofDays(1), List.of(mi)));   // spends the day's one Xiaomi send
            Await.until(Duration.ofSeconds(30), () -> pipeline.ledger(Channel.XIAOMI).requests("hol-m1", mi.deviceId()) == 1,
                    () -> "the first Xiaomi message was not delivered");
            send(producer, key, TestJobs.job("hol-m2", "b", Duration.ofDays(1), List.of(mi)));   // quota spent: waits for the reset
            Thread.sleep(1_000);
            pipeline.fcm().failNext(1, 503, "UNAVAILABLE", null);
            send(producer, key, TestJobs.job("hol-m3", "b", Duration.ofDays(1), List.of(pixel))); // fails once: to the first retry tier, behind hol-m2's old place

            Await.until(Duration.ofSeconds(30), () -> pipeline.ledger(Channel.FCM).requests("hol-m3", pixel.deviceId()) == 1,
                    () -> "the FCM retry waited behind the Xiaomi quota");
            assertEquals(0, pipeline.ledger(Channel.XIAOMI).requests("hol-m2", mi.deviceId()), "the quota holds");
            List<ConsumerRecord<byte[], byte[]>> parked = read(pipeline.bootstrapServers(), Topics.PARK_PREFIX + "xiaomi");
            assertEquals(1, parked.size(), "the Xiaomi delivery waits in Xiaomi's parking topic");
            Instant due = JobHeaders.dueAt(parked.getFirst().headers()).orElseThrow();
            assertTrue(due.isAfter(Instant.now().plusSeconds(2)), "due at the quota's reset, " + due);
            assertEquals(0, JobHeaders.attempt(parked.getFirst().headers()), "held by the quota: no attempt spent");
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, byte[] key, PushJob job) throws Exception {
        producer.send(new ProducerRecord<>(Topics.JOBS, key, Json.write(job))).get();
    }

    private static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "hol-reader-" + System.nanoTime()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (out.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
