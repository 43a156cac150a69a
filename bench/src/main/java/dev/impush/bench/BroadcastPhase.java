package dev.impush.bench;

import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Topics;
import dev.impush.model.broadcast.Broadcast;
import dev.impush.model.codec.Json;
import dev.impush.model.event.DeviceEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code --broadcast N}: an offline detector in its own JVM holding N registered devices (one per
 * user, on {@code im.events}), whose broadcasts to all of them fan out into the worker's bulk lane.
 * Measures the fan-out (devices/s through the detector, from the broadcast's record to its last
 * device emitted, read off the detector's {@code /metrics}) alone and beside chat jobs at a fixed
 * rate, the delivery of the whole broadcast at the vendor, the chat latency with and without a
 * broadcast, and the detector's RSS (it must not grow with the audience).
 */
final class BroadcastPhase implements AutoCloseable {
    private static final Pattern EMITTED = Pattern.compile("(?m)^impush_detector_broadcast_devices_total(?:\\{[^}]*})? ([0-9.eE+]+)$");
    private static final String APP_ID = "bench-broadcast";

    /**
     * The two broadcasts of a run: the detector's fan-out alone (devices/s) and the worker draining it;
     * one at {@code rate} beside chat (its fan-out and delivery, chat latency with and without it); the
     * detector's memory with the devices loaded and at most during both.
     */
    record Result(int devices, double fanOutAlonePerSecond, double detectorCoresAlone, double drainPerSecond, long rate,
                  double fanOutPerSecond, double deliveredPerSecond, Arrivals.Summary chatWithout,
                  Arrivals.Summary chatDuring, long detectorRssBeforeKb, long detectorMaxRssKb) {
        double chatP99Ratio() {
            return chatDuring.p99Ms() / chatWithout.p99Ms();
        }
    }

    private final int devices;
    private final DetectorJvm detectorJvm;
    private final MeasuredJvm detector;
    private final KafkaProducer<byte[], byte[]> producer;
    private double loadSeconds;

    private BroadcastPhase(int devices, DetectorJvm detectorJvm, KafkaProducer<byte[], byte[]> producer) {
        this.devices = devices;
        this.detectorJvm = detectorJvm;
        this.detector = detectorJvm.jvm();
        this.producer = producer;
    }

    /**
     * Registers {@code devices} devices (APNs, tokens taken round-robin from {@code tokens}) and starts
     * a detector that publishes to the worker's lanes, waiting until it has read them all; {@code jfrFile},
     * when not null, records the detector with JFR.
     */
    static BroadcastPhase start(String bootstrap, int devices, List<String> tokens, String appTopic, String jobsTopic,
                                String bulkTopic, String heap, int threads, Map<String, String> detectorEnv, Path jfrFile)
            throws Exception {
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
        long t0 = System.nanoTime();
        Map<String, String> env = new HashMap<>(detectorEnv);
        env.putAll(Map.of("IMPUSH_TOPIC_JOBS", jobsTopic, "IMPUSH_TOPIC_JOBS_BULK", bulkTopic,
                "IMPUSH_DETECTOR_THREADS", Integer.toString(threads)));
        BroadcastPhase phase = new BroadcastPhase(devices, DetectorJvm.start(bootstrap, APP_ID, env, heap, jfrFile), producer);
        try {
            phase.detectorJvm.awaitCaughtUp(Duration.ofMinutes(10));
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
     * Two broadcasts to every device. First the detector alone: the worker is stopped (SIGSTOP) while
     * {@code alone} fans out as fast as the detector can, then drains it. Then {@code chat} (a paced chat
     * phase) without a broadcast, and again right after {@code paced} started at {@code rate}/s; then
     * until the vendor received every device's push. {@code reset} runs before each chat phase (it
     * empties the dedupe store, so both see the same Redis).
     */
    Result run(String alone, String paced, long rate, MeasuredJvm worker, Callable<Arrivals.Summary> chat,
               Runnable reset, long timeoutMs) throws Exception {
        long rssBefore = detector.rssKb();
        long t0 = System.nanoTime();
        long deadline = t0 + timeoutMs * 1_000_000L;
        double fanOutAlone;
        double coresAlone;
        worker.suspend();
        try {
            Arrivals.BULK.set(0);
            double base = emitted();
            long sent = send(alone, Broadcast.MAX_RATE);
            long done = awaitEmitted(base, deadline);
            fanOutAlone = devices / ((done - sent) / 1e9);
            coresAlone = detector.coresBetween(sent, done);
        } finally {
            worker.resume();
        }
        long resumed = System.nanoTime();
        double drain = devices / ((awaitDelivered(alone, deadline) - resumed) / 1e9);
        reset.run();
        Arrivals.Summary chatWithout = chat.call();
        reset.run();

        Arrivals.BULK.set(0);
        double base = emitted();
        long sent = send(paced, rate);
        long[] fannedOut = {0};
        Thread watcher = Thread.ofPlatform().daemon().name("fan-out-watch").start(() -> {
            try {
                fannedOut[0] = awaitEmitted(base, deadline);
            } catch (Exception e) {
                // interrupted, or the detector is gone: no figure
            }
        });
        Arrivals.Summary during = chat.call();
        long delivered = awaitDelivered(paced, deadline);
        watcher.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
        watcher.interrupt();
        double fanOutPaced = fannedOut[0] == 0 ? Double.NaN : devices / ((fannedOut[0] - sent) / 1e9);
        return new Result(devices, fanOutAlone, coresAlone, drain, rate, fanOutPaced, devices / ((delivered - sent) / 1e9),
                chatWithout, during, rssBefore, detector.maxRssKbSince(t0));
    }

    /** Publishes a broadcast to all devices; returns when ({@link System#nanoTime()}). */
    private long send(String id, long rate) {
        if (!id.startsWith(Arrivals.BULK_PREFIX)) {
            throw new IllegalArgumentException("the vendor mocks count " + Arrivals.BULK_PREFIX + "* only");
        }
        long t = System.nanoTime();
        producer.send(new ProducerRecord<>(Topics.BROADCASTS, id.getBytes(StandardCharsets.UTF_8), ("""
                {"v":1,"type":"broadcast","broadcastId":"%s","appId":"%s","audience":{"all":true},\
                "notification":{"title":"Notice","body":"Maintenance tonight, 2-3 am","route":"app://notice"},\
                "ttlSeconds":3600,"ratePerSecond":%d}""".formatted(id, Bench.TOPIC, rate)).getBytes(StandardCharsets.UTF_8)));
        producer.flush();
        return t;
    }

    /** Until the detector emitted every device past {@code base}; returns when. */
    private long awaitEmitted(double base, long deadline) throws Exception {
        while (emitted() - base < devices) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the detector emitted only " + (emitted() - base) + " of " + devices
                        + " (log " + detector.log() + ")");
            }
            Thread.sleep(250); // rendering the detector's metrics costs it CPU: not too often
        }
        return System.nanoTime();
    }

    /** Until the vendor received every device's push ({@link Arrivals#BULK}); returns when. */
    private long awaitDelivered(String id, long deadline) throws InterruptedException {
        while (Arrivals.BULK.get() < devices && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (Arrivals.BULK.get() < devices) {
            System.out.printf("  broadcast %s: only %,d of %,d delivered in time%n", id, Arrivals.BULK.get(), devices);
        }
        return System.nanoTime();
    }

    /** Devices the detector emitted broadcast jobs for so far. */
    private double emitted() throws IOException, InterruptedException {
        return detectorJvm.metric(EMITTED);
    }

    @Override
    public void close() throws InterruptedException {
        try (producer) {
            detectorJvm.close();
        }
    }
}
