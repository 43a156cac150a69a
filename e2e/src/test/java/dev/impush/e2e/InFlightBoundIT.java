package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.FixtureMode;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.job.PushJob;
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
 * The in-flight bound counts deliveries, not only records: jobs to 50 devices each at a vendor
 * limited to 200 sends/s keep at most the bound (plus one poll's deliveries) in flight, instead of
 * every device of every job the bound's worth of records would admit.
 */
@Timeout(180)
class InFlightBoundIT {
    private static final int JOBS = 20;
    private static final int DEVICES = 50;
    private static final int MAX_IN_FLIGHT = 100;
    private static final int MAX_POLL_RECORDS = 2;

    @Test
    void deliveriesInFlight_stayWithinTheBound() throws Exception {
        LocalPipeline.Options options = new LocalPipeline.Options(FixtureMode.resolve(), 4, false,
                Duration.ofSeconds(30), "1s,2s,4s", Map.of(
                "IMPUSH_WORKER_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT),
                "IMPUSH_WORKER_MAX_POLL_RECORDS", Integer.toString(MAX_POLL_RECORDS),
                "IMPUSH_FCM_QPS", "200", "IMPUSH_FCM_BURST", "20"), LocalPipeline.Clusters.PLAIN);
        try (LocalPipeline pipeline = LocalPipeline.start(options);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Population.Device> phones = IntStream.range(0, DEVICES).mapToObj(i -> new Population.Device(
                    "many", "many-" + i, Channel.FCM, "fcm-many-" + i, MockVendors.ANDROID_APP, false, true)).toList();
            pipeline.registerAtVendors(new Population(phones), Instant.now().minusSeconds(60));
            for (int j = 0; j < JOBS; j++) {
                PushJob job = TestJobs.job("many-m" + j, "b", Duration.ofMinutes(10), phones);
                producer.send(new ProducerRecord<>(Topics.JOBS, "many".getBytes(StandardCharsets.UTF_8), Json.write(job)));
            }
            producer.flush();

            pipeline.startWorker("bounded");
            double most = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (delivered(pipeline) < JOBS * DEVICES && System.nanoTime() < deadline) {
                var gauge = pipeline.meters().find(WorkerMetrics.DELIVERIES_IN_FLIGHT).gauge();
                most = Math.max(most, gauge == null ? 0 : gauge.value());
                Thread.sleep(10);
            }
            assertTrue(delivered(pipeline) == JOBS * DEVICES, "delivered " + delivered(pipeline));
            assertTrue(most <= MAX_IN_FLIGHT + MAX_POLL_RECORDS * DEVICES,
                    "at most " + most + " deliveries in flight, bound " + MAX_IN_FLIGHT);
            assertTrue(most >= DEVICES, "the gauge saw the sends (" + most + ")");
        }
    }

    private static long delivered(LocalPipeline pipeline) {
        return IntStream.range(0, JOBS).mapToLong(j -> IntStream.range(0, DEVICES)
                .filter(d -> pipeline.ledger(Channel.FCM).requests("many-m" + j, "many-" + d) > 0).count()).sum();
    }
}
