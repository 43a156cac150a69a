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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bulk lane ({@code push.jobs.bulk}) gets only the capacity chat leaves: with a bulk backlog
 * draining through a vendor limited to {@value #QPS} sends/s, a burst of chat jobs is sent ahead of
 * it (far fewer bulk sends go out meanwhile than the in-flight window that a shared lane would put
 * ahead of them), the backlog then drains in full, and a bulk job's retry stays in the bulk lane's
 * tiers.
 */
@Timeout(240)
class BulkLaneIT {
    private static final int QPS = 300;
    private static final int BULK = 1_500;
    private static final int CHAT = 200;
    private static final int MAX_IN_FLIGHT = 200;
    private static final int BULK_MAX_IN_FLIGHT = 10;
    private static final int MAX_POLL_RECORDS = 10;

    private static LocalPipeline pipeline;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.of(FixtureMode.resolve()).withoutDetector()
                .withWorkerEnv(Map.of(
                        "IMPUSH_WORKER_MAX_IN_FLIGHT", Integer.toString(MAX_IN_FLIGHT),
                        "IMPUSH_WORKER_BULK_MAX_IN_FLIGHT", Integer.toString(BULK_MAX_IN_FLIGHT),
                        "IMPUSH_WORKER_MAX_POLL_RECORDS", Integer.toString(MAX_POLL_RECORDS),
                        "IMPUSH_RETRY_MAX_ATTEMPTS", "1",
                        "IMPUSH_FCM_QPS", Integer.toString(QPS), "IMPUSH_FCM_BURST", "20")));
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
        pipeline.startWorker("lanes");
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void chatJobs_overtakeABulkBacklog_whichThenDrainsInFull() throws Exception {
        List<Population.Device> bulk = devices("bulk", BULK);
        List<Population.Device> chat = devices("chat", CHAT);
        AtomicInteger bulkSent = new AtomicInteger();
        AtomicInteger chatSent = new AtomicInteger();
        AtomicInteger bulkAtLastChat = new AtomicInteger(-1);
        pipeline.ledger(Channel.FCM).listen((channel, messageId, deviceId) -> {
            if (messageId.startsWith("bulk-")) {
                bulkSent.incrementAndGet();
            } else if (messageId.startsWith("chat-") && chatSent.incrementAndGet() == CHAT) {
                bulkAtLastChat.set(bulkSent.get());
            }
        });
        try {
            bulk.forEach(d -> send(Topics.JOBS_BULK, "bulk-" + d.deviceId(), d));
            producer.flush();
            awaitAtLeast(bulkSent, 200, Duration.ofSeconds(60)); // the backlog is draining
            int bulkBefore = bulkSent.get();
            chat.forEach(d -> send(Topics.JOBS, "chat-" + d.deviceId(), d));
            producer.flush();

            awaitAtLeast(chatSent, CHAT, Duration.ofSeconds(60));
            awaitAtLeast(bulkAtLastChat, 0, Duration.ofSeconds(5)); // set just after the last count
            int between = bulkAtLastChat.get() - bulkBefore;
            // without lanes the chat jobs wait behind a full in-flight window of bulk sends (and share
            // the vendor with the rest); with them, behind the bulk share in flight, one poll, and the
            // bulk sent while the chat jobs were on their way to the worker
            assertTrue(between <= MAX_IN_FLIGHT / 2,
                    between + " bulk sends went out while " + CHAT + " chat jobs waited");

            awaitAtLeast(bulkSent, BULK, Duration.ofSeconds(60));
            for (Population.Device d : bulk) {
                assertEquals(1, pipeline.ledger(Channel.FCM).requests("bulk-" + d.deviceId(), d.deviceId()), d.deviceId());
            }
            for (Population.Device d : chat) {
                assertEquals(1, pipeline.ledger(Channel.FCM).requests("chat-" + d.deviceId(), d.deviceId()), d.deviceId());
            }
        } finally {
            pipeline.ledger(Channel.FCM).listen(null);
        }
    }

    @Test
    void aBulkJobsRetry_staysInTheBulkLanesTiers() throws Exception {
        Population.Device d = devices("retry", 1).getFirst();
        pipeline.fcm().failNext(1, 500, "INTERNAL", null);

        send(Topics.JOBS_BULK, "retry-bulk", d);
        producer.flush();

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (pipeline.ledger(Channel.FCM).requests("retry-bulk", d.deviceId()) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, pipeline.ledger(Channel.FCM).requests("retry-bulk", d.deviceId()));
        assertEquals(1.0, pipeline.count(WorkerMetrics.RETRIED, "tier", "push.retry.bulk.1s"));
        assertEquals(0.0, pipeline.count(WorkerMetrics.RETRIED, "tier", "push.retry.1s"));
    }

    private static List<Population.Device> devices(String prefix, int n) {
        List<Population.Device> devices = IntStream.range(0, n).mapToObj(i -> new Population.Device(
                prefix + "-u" + i, prefix + "-" + i, Channel.FCM, "fcm-" + prefix + "-" + i, MockVendors.ANDROID_APP,
                false, true)).toList();
        pipeline.registerAtVendors(new Population(devices), Instant.now().minusSeconds(60));
        return devices;
    }

    private static void send(String topic, String messageId, Population.Device d) {
        producer.send(new ProducerRecord<>(topic, d.userId().getBytes(StandardCharsets.UTF_8),
                Json.write(TestJobs.job(messageId, d))));
    }

    private static void awaitAtLeast(AtomicInteger n, int at, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (n.get() < at && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(n.get() >= at, n.get() + " of " + at);
    }
}
