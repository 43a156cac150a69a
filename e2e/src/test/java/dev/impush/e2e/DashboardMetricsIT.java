package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.impush.detector.DetectorConfig;
import dev.impush.localstack.Ports;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No dead panels, no dead alerts: every metric the Grafana dashboard, the alert rules and the KEDA
 * autoscaler query is one the running services export. The detector and a worker run as their own
 * JVMs (their real mains, as the image runs them) against a real broker, Redis and the mock vendors;
 * after some pushes, a quota in use, a bad event, a bad job and an expired one, their {@code /metrics}
 * are scraped.
 * What only an exporter outside impush provides is named here, each with its exporter.
 */
@Timeout(300)
class DashboardMetricsIT {
    /** Metrics from exporters beside impush (deploy/README.md, Prerequisites), never on its /metrics. */
    static final Map<String, String> EXTERNAL = Map.of(
            "kafka_consumergroup_lag", "kafka_exporter",
            "redis_memory_used_bytes", "redis_exporter",
            "redis_memory_max_bytes", "redis_exporter",
            "redis_evicted_keys_total", "redis_exporter",
            "kube_pod_status_ready", "kube-state-metrics",
            "kube_statefulset_status_replicas_ready", "kube-state-metrics",
            "kube_statefulset_replicas", "kube-state-metrics");
    private static final Pattern METRIC =
            Pattern.compile("\\b(?!\\w+_exporter\\b)(?:impush|resilience4j|jvm|kafka|process|system|redis|kube)_[a-z0-9_]+\\b");
    private static final Duration SETTLED = Duration.ofSeconds(60);
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;
    private static int workerPort;
    private static int detectorPort;
    private static Set<String> exported;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
        detectorPort = Ports.free();
        workerPort = Ports.free();
        pipeline.startDetectorProcess("dashboard", Map.of(DetectorConfig.OPS_PORT, Integer.toString(detectorPort)));
        pipeline.startWorkerProcess("dashboard-worker", Map.of("IMPUSH_OPS_PORT", Integer.toString(workerPort),
                "IMPUSH_XIAOMI_QPS", "1000", "IMPUSH_XIAOMI_DAILY_QUOTA", "1000000"));
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);

        List<Population.Device> devices = new ArrayList<>();
        for (Channel c : List.of(Channel.APNS, Channel.FCM, Channel.XIAOMI, Channel.HUAWEI)) {
            devices.add(new Population.Device("dash-u-" + c.wireName(), "dash-d-" + c.wireName(), c,
                    c == Channel.APNS ? "0123456789abcdef".repeat(4) : c.wireName() + "-dash-token", c == Channel.APNS ? "com.example.chat" : MockVendors.ANDROID_APP,
                    false, true));
        }
        Population offline = new Population(devices);
        Instant registeredAt = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(offline, registeredAt);
        traffic.connect(offline, "gw-dashboard", registeredAt);
        for (Population.Device d : devices) {
            traffic.message(offline, d.userId(), "dash-m-" + d.deviceId(), "hello", Instant.now());
        }
        Population.Device huawei = devices.getLast();
        traffic.malformed("dash-bad-event");
        traffic.flush();
        try (KafkaProducer<byte[], byte[]> jobs = new KafkaProducer<>(Map.of("bootstrap.servers", pipeline.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            byte[] key = "dash".getBytes(StandardCharsets.UTF_8);
            jobs.send(new ProducerRecord<>(Topics.JOBS, key, "{not a job".getBytes(StandardCharsets.UTF_8))).get();
            jobs.send(new ProducerRecord<>(Topics.JOBS, key, Json.write(TestJobs.job("dash-expired", "b",
                    Duration.ofMillis(1), List.of(huawei))))).get();
        }
        Await.until(SETTLED, () -> devices.stream().allMatch(d -> pipeline.ledger(d.channel())
                        .requests("dash-m-" + d.deviceId(), d.deviceId()) == 1)
                        && Stream.of("reason=\"malformed\"", "impush_worker_dropped_total").allMatch(scrape(workerPort)::contains)
                        && scrape(detectorPort).contains("impush_detector_dead_letters_total"),
                () -> "pushes " + devices.stream().map(d -> d.channel() + "=" + pipeline.ledger(d.channel())
                        .requests("dash-m-" + d.deviceId(), d.deviceId())).toList() + ", worker dead letters "
                        + grep(scrape(workerPort), "impush_worker_dead_letters_total") + ", detector dead letters "
                        + grep(scrape(detectorPort), "impush_detector_dead_letters_total") + ", dropped "
                        + grep(scrape(workerPort), "impush_worker_dropped_total"));
        exported = new TreeSet<>();
        for (int port : List.of(workerPort, detectorPort)) {
            String text = scrape(port);
            Files.writeString(Path.of("target", "scrape-" + port + ".txt"), text);
            text.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                    .map(l -> l.split("[{ ]", 2)[0]).forEach(exported::add);
        }
    }

    @AfterAll
    static void stop() {
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyMetricOfTheDashboardIsExported() throws IOException {
        assertAllExported("grafana/impush.json", Json.mapper().readTree(DEPLOY.resolve("grafana/impush.json").toFile()));
    }

    @Test
    void everyMetricOfTheAlertsAndTheAutoscalerIsExported() throws IOException {
        assertAllExported("helm/impush/files/alerts.yaml",
                new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("helm/impush/files/alerts.yaml").toFile()));
        assertAllExported("helm/impush/templates/keda.yaml",
                TextNode.valueOf(Files.readString(DEPLOY.resolve("helm/impush/templates/keda.yaml"))));
    }

    /**
     * Every metric named in the document's text (queries, and the descriptions that tell an SRE what to
     * look at; not comments) is exported, or one of {@link #EXTERNAL}; a histogram by its base name too.
     */
    private static void assertAllExported(String file, JsonNode document) {
        Set<String> queried = new TreeSet<>();
        texts(document, text -> {
            Matcher m = METRIC.matcher(text);
            while (m.find()) {
                queried.add(m.group());
            }
        });
        assertFalse(queried.isEmpty(), "no metric in " + file);
        Set<String> missing = queried.stream().filter(q -> !exported.contains(q) && !exported.contains(q + "_count")
                && !EXTERNAL.containsKey(q)).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of(), missing, file + " names metrics that neither service exports");
        assertTrue(queried.stream().anyMatch(exported::contains), file);
    }

    private static void texts(JsonNode node, Consumer<String> out) {
        if (node.isTextual()) {
            out.accept(node.asText());
        }
        node.forEach(child -> texts(child, out));
    }

    private static List<String> grep(String scrape, String metric) {
        return scrape.lines().filter(l -> l.startsWith(metric)).toList();
    }

    private static String scrape(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

}
