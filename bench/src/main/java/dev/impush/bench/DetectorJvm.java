package dev.impush.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * An offline detector as a service runs it: {@code OfflineDetectorMain} in its own JVM (so its CPU
 * and RSS are its own), configured by environment, with a fresh state directory and an ops port
 * whose {@code /metrics} the bench reads.
 */
final class DetectorJvm implements AutoCloseable {
    private final MeasuredJvm jvm;
    private final String bootstrap;
    private final String applicationId;
    private final String eventsTopic;
    private final URI metrics;
    private final HttpClient http = HttpClient.newHttpClient();

    private DetectorJvm(MeasuredJvm jvm, String bootstrap, String applicationId, String eventsTopic, URI metrics) {
        this.jvm = jvm;
        this.bootstrap = bootstrap;
        this.applicationId = applicationId;
        this.eventsTopic = eventsTopic;
        this.metrics = metrics;
    }

    /**
     * @param env the detector's settings beyond the broker, application id, state directory and ops
     *            port (topics, threads, commit interval); {@code IMPUSH_TOPIC_EVENTS} when it reads
     *            another topic than {@code im.events}
     */
    static DetectorJvm start(String bootstrap, String applicationId, Map<String, String> env, String heap, Path jfrFile)
            throws Exception {
        int port = freePort();
        Map<String, String> all = new HashMap<>(env);
        all.put("IMPUSH_KAFKA_BOOTSTRAP", bootstrap);
        all.put("IMPUSH_DETECTOR_APP_ID", applicationId);
        all.put("IMPUSH_DETECTOR_STATE_DIR", Files.createTempDirectory("impush-bench-detector").toString());
        all.put("IMPUSH_DETECTOR_REPLICATION_FACTOR", "1");
        all.put("IMPUSH_OPS_PORT", Integer.toString(port));
        all.put("IMPUSH_LOG_LEVEL", "WARN");
        MeasuredJvm jvm = MeasuredJvm.start("dev.impush.detector.OfflineDetectorMain", all, heap, List.of(), jfrFile);
        return new DetectorJvm(jvm, bootstrap, applicationId, all.getOrDefault("IMPUSH_TOPIC_EVENTS", "im.events"),
                URI.create("http://127.0.0.1:" + port + "/metrics"));
    }

    MeasuredJvm jvm() {
        return jvm;
    }

    /** Until the detector's group has committed its events topic up to the end it has now. */
    void awaitCaughtUp(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(eventsTopic)).allTopicNames().get().get(eventsTopic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(eventsTopic, p.partition()), OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get();
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
                if (ends.entrySet().stream().allMatch(e -> {
                    OffsetAndMetadata c = committed.get(e.getKey());
                    return c != null && c.offset() >= e.getValue().offset();
                })) {
                    return;
                }
                if (!jvm.isAlive()) {
                    throw new IllegalStateException("the detector exited (log " + jvm.log() + ")");
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the detector did not read " + eventsTopic + " in time (log " + jvm.log() + ")");
    }

    /** The value of the first sample that {@code sample} (one group: the value) matches in {@code /metrics}, else 0. */
    double metric(Pattern sample) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = sample.matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** SIGTERM: it commits, and a JFR recording is written. */
    @Override
    public void close() throws InterruptedException {
        try (jvm) {
            jvm.terminate();
        }
    }
}
