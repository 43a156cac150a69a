package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.job.PushJob;
import dev.impush.worker.PushWorker;
import dev.impush.worker.metrics.WorkerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Once a vendor calls a token invalid, no replica sends to it again: jobs that still carry it
 * (the detector has not removed the device yet, or they were queued before) are dropped as
 * {@code token-invalid} without a vendor request, on another replica too; a device that registers
 * the same token again afterwards is sent to again.
 */
@Timeout(180)
class TokenShieldIT {
    private static final int DEAD = 20;
    private static final int LATER_JOBS = 4;

    @Test
    void aTokenTheVendorRejected_isNotSentToAgain_byAnyReplica_untilItIsRegisteredAgain() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Population.Device> dead = IntStream.range(0, DEAD).mapToObj(i -> new Population.Device(
                    "shield-u" + i, "shield-d" + i, Channel.FCM, "fcm-dead-" + i, MockVendors.ANDROID_APP, false,
                    false)).toList();
            pipeline.registerAtVendors(new Population(dead), Instant.now().minusSeconds(60));

            PushWorker first = pipeline.startWorker("shield-1");
            for (Population.Device d : dead) {
                send(producer, TestJobs.job("shield-m0-" + d.deviceId(), d));
            }
            Await.until(Duration.ofSeconds(30), () -> pipeline.fcm().rejected("UNREGISTERED") == DEAD,
                    () -> pipeline.fcm().rejectedCounts().toString());

            // the replica that heard it goes away; the others take its partitions
            pipeline.startWorker("shield-2");
            pipeline.startWorker("shield-3");
            first.close();
            for (int m = 1; m <= LATER_JOBS; m++) {
                for (Population.Device d : dead) {
                    send(producer, TestJobs.job("shield-m" + m + "-" + d.deviceId(), d));
                }
            }
            Await.until(Duration.ofSeconds(60),
                    () -> pipeline.count(WorkerMetrics.DROPPED, "reason", "token-invalid") == DEAD * LATER_JOBS,
                    () -> "dropped " + pipeline.count(WorkerMetrics.DROPPED, "reason", "token-invalid"));
            assertEquals(DEAD, pipeline.fcm().rejected("UNREGISTERED"), "one request per dead token, no more");

            // the app on one device registers the same token again: it works again, and is sent to
            Population.Device back = dead.getFirst();
            pipeline.fcm().registerDevice(back.deviceId(), back.token());
            send(producer, TestJobs.job("shield-back", "b", Duration.ofMinutes(10), List.of(back), Instant.now()));
            Await.until(Duration.ofSeconds(30), () -> pipeline.ledger(Channel.FCM).requests("shield-back", back.deviceId()) == 1,
                    () -> "the re-registered token was not sent to");
            assertEquals(DEAD, pipeline.fcm().rejected("UNREGISTERED"));
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, PushJob job) throws Exception {
        producer.send(new ProducerRecord<>(Topics.JOBS, job.userId().getBytes(StandardCharsets.UTF_8), Json.write(job))).get();
    }
}
