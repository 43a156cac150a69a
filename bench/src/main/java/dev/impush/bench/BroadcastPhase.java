package dev.impush.bench;

import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.event.DeviceEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code --broadcast N}: an offline detector in its own JVM holding N registered devices (one per
 * user, on {@code im.events}), whose broadcasts to all of them fan out into the worker's bulk lane
 * while chat jobs run through the worker at a fixed rate. Measures the fan-out (devices/s through
 * the detector, from the broadcast's record to its last device emitted, read off the detector's
 * {@code /metrics}), the delivery of the whole broadcast at the vendor, the chat latency with and
 * without a broadcast, and the detector's RSS (it must not grow with the audience).
 */
final class BroadcastPhase implements AutoCloseable {
    private static final Pattern EMITTED = Pattern.compile("(?m)^impush_detector_broadcast_devices_total(?:\\{[^}]*})? ([0-9.eE+]+)$");
    private static final String APP_ID = "bench-broadcast";

    /** One broadcast: fan-out and delivery rates, chat latency beside it, the detector's memory. */
    record Result(int devices, double fanOutSeconds, double fanOutPerSecond, double deliveredPerSecond,
                  Arrivals.Summary chatWithout, Arrivals.Summary chatDuring, long detectorRssBeforeKb,
                  long detectorMaxRssKb) {
        double chatP99Ratio() {
            return chatDuring.p99Ms() / chatWithout.p99Ms();
        }
    }

    private final int devices;
    private final String bootstrap;
    private final MeasuredJvm detector;
    private final URI metrics;
    private final HttpClient http = HttpClient.newHttpClient();
    private final KafkaProducer<byte[], byte[]> producer;
    private double loadSeconds;

    private BroadcastPhase(int devices, String bootstrap, MeasuredJvm detector, URI metrics,
                           KafkaProducer<byte[], byte[]> producer) {
        this.devices = devices;
        this.bootstrap = bootstrap;
        this.detector = detector;
        this.metrics = metrics;
        this.producer = producer;
    }

    /**
     * Registers {@code devices} devices (APNs, tokens taken round-robin from {@code tokens}) and starts
     * a detector that publishes to the worker's lanes, waiting until it has read them all.
     */
    static BroadcastPhase start(String bootstrap, int devices, List<String> tokens, String appTopic, String jobsTopic,
                                String bulkTopic, String heap) throws Exception {
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new ByteArraySerializer(), new ByteArraySerializer());
        Instant at = Instant.now().minusSeconds(60);
        for (int i = 0; i < devices; i++) {
            String user = "bc-u" + i;
            producer.send(new ProducerRecord<>(Topics.EVENTS, user.getBytes(StandardCharsets.UTF_8), Json.write(
                    new DeviceEvent(Contract.VERSION, DeviceEvent.Action.REGISTER, user, "bc-d" + i, Channel.APNS,
                            tokens.get(i % tokens.size()), appTopic, false, "en-US", true, at))));
        }
        producer.flush();
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("IMPUSH_KAFKA_BOOTSTRAP", bootstrap);
        env.put("IMPUSH_TOPIC_JOBS", jobsTopic);
        env.put("IMPUSH_TOPIC_JOBS_BULK", bulkTopic);
        env.put("IMPUSH_DETECTOR_APP_ID", APP_ID);
        env.put("IMPUSH_DETECTOR_STATE_DIR", Files.createTempDirectory("impush-bench-detector").toString());
        env.put("IMPUSH_DETECTOR_REPLICATION_FACTOR", "1");
        env.put("IMPUSH_OPS_PORT", Integer.toString(port));
        env.put("IMPUSH_LOG_LEVEL", "WARN");
        long t0 = System.nanoTime();
        MeasuredJvm detector = MeasuredJvm.start("dev.impush.detector.OfflineDetectorMain", env, heap, List.of(), null);
        BroadcastPhase phase = new BroadcastPhase(devices, bootstrap, detector,
                URI.create("http://127.0.0.1:" + port + "/metrics"), producer);
        try {
            phase.awaitCaughtUp(Duration.ofMinutes(10));
        } catch (Exception e) {
            phase.close();
            throw e;
        }
        phase.loadSeconds = (System.nanoTime() - t0) / 1e9;
        return phase;
    }

    /** Seconds from the detector's start until it had read every registration. */
    double loadSeconds() {
        return loadSeconds;
    }

    long detectorRssKb() {
        return detector.rssKb();
    }

    /**
     * Broadcasts {@code id} to every device at {@code rate}/s, runs {@code chat} (a paced chat phase)
     * right away, and waits until the vendor received every device's push ({@link Arrivals#BULK});
     * {@code chatWithout} is the same chat phase measured just before.
     */
    Result broadcast(String id, long rate, Arrivals.Summary chatWithout, Callable<Arrivals.Summary> chat,
                     long timeoutMs) throws Exception {
        if (!id.startsWith(Arrivals.BULK_PREFIX)) {
            throw new IllegalArgumentException("the vendor mocks count " + Arrivals.BULK_PREFIX + "* only");
        }
        long rssBefore = detector.rssKb();
        double base = emitted();
        Arrivals.BULK.set(0);
        long t0 = System.nanoTime();
        producer.send(new ProducerRecord<>(Topics.BROADCASTS, id.getBytes(StandardCharsets.UTF_8), ("""
                {"v":1,"type":"broadcast","broadcastId":"%s","appId":"%s","audience":{"all":true},\
                "notification":{"title":"Notice","body":"Maintenance tonight, 2-3 am","route":"app://notice"},\
                "ttlSeconds":3600,"ratePerSecond":%d}""".formatted(id, Bench.TOPIC, rate)).getBytes(StandardCharsets.UTF_8)));
        producer.flush();
        long[] fannedOut = {0};
        Thread watcher = Thread.ofPlatform().daemon().name("fan-out-watch").start(() -> {
            try {
                while (emitted() - base < devices) {
                    Thread.sleep(50);
                }
                fannedOut[0] = System.nanoTime();
            } catch (Exception e) {
                // interrupted, or the detector is gone: no fan-out figure
            }
        });
        Arrivals.Summary during = chat.call();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (Arrivals.BULK.get() < devices && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        long delivered = System.nanoTime();
        watcher.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
        watcher.interrupt();
        if (Arrivals.BULK.get() < devices) {
            System.out.printf("  broadcast %s: only %,d of %,d delivered in time (detector log %s)%n", id,
                    Arrivals.BULK.get(), devices, detector.log());
        }
        double fanOutSeconds = fannedOut[0] == 0 ? Double.NaN : (fannedOut[0] - t0) / 1e9;
        return new Result(devices, fanOutSeconds, devices / fanOutSeconds,
                Arrivals.BULK.get() / ((delivered - t0) / 1e9), chatWithout, during, rssBefore,
                detector.maxRssKbSince(t0));
    }

    /** Devices the detector emitted broadcast jobs for so far. */
    private double emitted() throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = EMITTED.matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    /** Until the detector's group has committed {@code im.events} up to its end. */
    private void awaitCaughtUp(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(Topics.EVENTS)).allTopicNames().get().get(Topics.EVENTS).partitions()
                    .forEach(p -> latest.put(new TopicPartition(Topics.EVENTS, p.partition()), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(APP_ID).partitionsToOffsetAndMetadata().get();
                if (ends.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    return c != null && c.offset() >= e.getValue().offset();
                })) {
                    return;
                }
                if (!detector.isAlive()) {
                    throw new IllegalStateException("the detector exited (log " + detector.log() + ")");
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the detector did not read the registrations in time (log " + detector.log() + ")");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        try (producer) {
            detector.close();
        }
    }
}
