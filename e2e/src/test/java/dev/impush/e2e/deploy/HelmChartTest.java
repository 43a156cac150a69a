package dev.impush.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Helm chart (deploy/helm/impush) rendered by Helm itself (in-process, helm-java): with only the
 * required values and with every option on, each object parses as its Kubernetes kind with no field
 * Kubernetes does not know; a missing required value stops the render with a message naming it.
 */
class HelmChartTest {
    private static final String WORKER = "impush-push-worker";
    private static final String DETECTOR = "impush-offline-detector";

    @Test
    void theRequiredValuesAloneGiveTheTwoServices() {
        Rendered r = Rendered.of("minimal-values.yaml");
        assertEquals(List.of("ConfigMap", "PodDisruptionBudget", "PodDisruptionBudget", "Service", "Service", "ServiceAccount",
                "StatefulSet", "StatefulSet"), r.kinds());
        StatefulSet worker = r.statefulSet(WORKER);
        assertEquals(2, worker.getSpec().getReplicas());
        assertEquals("registry.example.com/impush:0.1.0", worker.getSpec().getTemplate().getSpec().getContainers().getFirst()
                .getImage());
        EnvVar redis = r.env(WORKER, "IMPUSH_REDIS_URI");
        assertEquals("impush-redis", redis.getValueFrom().getSecretKeyRef().getName());
        assertEquals("uri", redis.getValueFrom().getSecretKeyRef().getKey());
        assertNull(r.envOrNull(DETECTOR, "IMPUSH_REDIS_URI"), "the detector has no use for Redis");
        assertNull(r.envOrNull(WORKER, "IMPUSH_APNS_KEY_FILE"), "no channel without its Secret");
        assertEquals("kafka-0.kafka:9092,kafka-1.kafka:9092,kafka-2.kafka:9092",
                r.configMap("impush-config").getData().get("IMPUSH_KAFKA_BOOTSTRAP"));
        assertEquals("10Gi", r.statefulSet(DETECTOR).getSpec().getVolumeClaimTemplates().getFirst().getSpec().getResources()
                .getRequests().get("storage").toString());
    }

    @Test
    void everyTemplateRendersWithEveryOptionOn() throws IOException {
        Rendered r = Rendered.of("full-values.yaml");
        Set<String> templates;
        try (Stream<Path> files = Files.list(Charts.CHART.resolve("templates"))) {
            templates = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(templates, r.sources(), "templates that rendered nothing with every option on");
        assertTrue(r.kinds().containsAll(List.of("ScaledObject", "ServiceMonitor", "PrometheusRule", "Job")), r.kinds()::toString);
        assertNull(r.statefulSet(WORKER).getSpec().getReplicas(), "KEDA owns the worker's replicas");
        assertEquals(3, r.statefulSet(DETECTOR).getSpec().getReplicas());
        assertEquals("fast-ssd", r.statefulSet(DETECTOR).getSpec().getVolumeClaimTemplates().getFirst().getSpec()
                .getStorageClassName());
    }

    @Test
    void eachVendorSecretIsReferencedNeverInlined() {
        Rendered r = Rendered.of("full-values.yaml");
        assertFalse(r.kinds().contains("Secret"), "the chart creates no Secret");
        Map<String, String> files = Map.of("IMPUSH_APNS_KEY_FILE", "/etc/impush/secrets/apns/AuthKey.p8",
                "IMPUSH_FCM_CREDENTIALS_FILE", "/etc/impush/secrets/fcm/service-account.json",
                "IMPUSH_HARMONY_SERVICE_ACCOUNT_FILE", "/etc/impush/secrets/harmony/service-account.json",
                "IMPUSH_WEBPUSH_VAPID_PRIVATE_KEY_FILE", "/etc/impush/secrets/webpush/vapid-private-key",
                "IMPUSH_XIAOMI_APP_SECRET_FILE", "/etc/impush/secrets/xiaomi/app-secret",
                "IMPUSH_APPS_FILE", "/etc/impush/secrets/apps/apps.properties",
                "IMPUSH_KAFKA_SSL_CA_FILE", "/etc/impush/secrets/kafkaCa/ca.crt");
        files.forEach((env, path) -> assertEquals(path, r.env(WORKER, env).getValue(), env));
        var mounts = r.statefulSet(WORKER).getSpec().getTemplate().getSpec().getContainers().getFirst().getVolumeMounts();
        var volumes = r.statefulSet(WORKER).getSpec().getTemplate().getSpec().getVolumes();
        for (String path : files.values()) {
            String dir = Path.of(path).getParent().toString();
            var mount = mounts.stream().filter(m -> m.getMountPath().equals(dir)).findFirst().orElseThrow(() ->
                    new AssertionError("nothing mounted at " + dir));
            String secret = volumes.stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow()
                    .getSecret().getSecretName();
            assertTrue(secret.startsWith("impush-"), secret);
        }
        for (String env : List.of("IMPUSH_HUAWEI_APP_ID", "IMPUSH_VIVO_APP_KEY", "IMPUSH_APNS_TEAM_ID", "IMPUSH_KAFKA_SASL_PASSWORD")) {
            assertNull(r.env(WORKER, env).getValue(), env + " is given inline");
            assertTrue(r.env(WORKER, env).getValueFrom().getSecretKeyRef().getName().startsWith("impush-"), env);
        }
        assertEquals("/etc/impush/secrets/kafkaCa/ca.crt", r.env(DETECTOR, "IMPUSH_KAFKA_SSL_CA_FILE").getValue());
        assertNull(r.envOrNull(DETECTOR, "IMPUSH_APNS_KEY_FILE"), "vendor keys stay with the workers");
    }

    @Test
    void aSettingReachesEveryPlaceThatNamesIt() {
        Rendered r = Rendered.of("full-values.yaml");
        JsonNode scaler = r.only("ScaledObject");
        JsonNode kafka = scaler.at("/spec/triggers/1/metadata");
        assertEquals("chat-push-worker", kafka.get("consumerGroup").asText());
        assertEquals("chat.push.jobs", kafka.get("topic").asText());
        assertEquals("impush-kafka-auth", scaler.at("/spec/triggers/1/authenticationRef/name").asText());
        String rules = r.only("PrometheusRule").toString();
        assertTrue(rules.contains("consumergroup=\\\"chat-push-worker\\\", topic=\\\"chat.push.jobs\\\""), rules);
        assertTrue(rules.contains("namespace=\\\"chat\\\""), "the release's namespace");
        assertFalse(rules.contains("@"), "a placeholder left in the rules");
        assertEquals("2", r.env(DETECTOR, "IMPUSH_DETECTOR_THREADS").getValue(), "a component's setting, quoted");
        assertEquals("8000", r.env(WORKER, "IMPUSH_WORKER_MAX_IN_FLIGHT").getValue());
        assertEquals("https://push.example.com/receipts", r.env(WORKER, "IMPUSH_RECEIPTS_URL").getValue());
        assertEquals("24", r.only("Job").at("/spec/template/spec/containers/0/env").findParents("name").stream()
                .filter(e -> e.get("name").asText().equals("PARTITIONS")).findFirst().orElseThrow().get("value").asText());
    }

    @ParameterizedTest
    @CsvSource({
            "image.repository, image.repository is required",
            "config.IMPUSH_KAFKA_BOOTSTRAP, config.IMPUSH_KAFKA_BOOTSTRAP is required",
            "secrets.redis, secrets.redis is required"})
    void aMissingRequiredValueIsNamed(String key, String message) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Charts.template(Charts.CHART.resolve("ci/minimal-values.yaml"), Map.of(key, "")));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void optionsThatNeedAnotherValueSaySo() {
        Path minimal = Charts.CHART.resolve("ci/minimal-values.yaml");
        assertTrue(assertThrows(IllegalStateException.class, () -> Charts.template(minimal, Map.of("keda.enabled", "true")))
                .getMessage().contains("keda.prometheusServerAddress is required"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Charts.template(minimal,
                Map.of("worker.receipts.url", "https://push.example.com/receipts")))
                .getMessage().contains("worker.receipts.url needs secrets.receipts"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Charts.template(minimal,
                Map.of("worker.config.kafka\\.bootstrap", "x")))
                .getMessage().contains("worker.config.kafka.bootstrap: configuration keys are the README's IMPUSH_*"));
    }

    @Test
    void everyAlertLinksToItsRunbook() throws IOException {
        Set<String> headings = Files.readAllLines(Charts.CHART.resolve("../../README.md")).stream()
                .filter(l -> l.startsWith("### ")).map(l -> l.substring(4).trim().toLowerCase())
                .collect(Collectors.toSet());
        JsonNode groups = Rendered.of("full-values.yaml").only("PrometheusRule").at("/spec/groups");
        List<JsonNode> alerts = groups.findValues("rules").stream().flatMap(JsonNode::valueStream).toList();
        assertTrue(alerts.size() >= 10, "alerts: " + alerts.size());
        for (JsonNode alert : alerts) {
            String name = alert.path("alert").asText();
            String url = alert.at("/annotations/runbook_url").asText();
            assertEquals("https://github.com/impush/impush/blob/main/deploy/README.md#" + name.toLowerCase(), url, name);
            assertTrue(headings.contains(name.toLowerCase()), name + " has no runbook section in deploy/README.md");
            assertFalse(alert.at("/labels/severity").asText().isEmpty(), name);
            assertFalse(alert.at("/annotations/summary").asText().isEmpty(), name);
        }
    }

    @Test
    void everyConfigKeyOfTheFullValuesIsDocumented() throws IOException {
        Set<String> keys = new TreeSet<>();
        JsonNode values = Charts.YAML.readTree(Charts.CHART.resolve("ci/full-values.yaml").toFile());
        for (String path : List.of("/config", "/detector/config", "/worker/config")) {
            values.at(path).fieldNames().forEachRemaining(keys::add);
        }
        Rendered r = Rendered.of("full-values.yaml");
        r.objects().stream().filter(o -> o.path("kind").asText().equals("StatefulSet"))
                .flatMap(o -> o.at("/spec/template/spec/containers/0/env").valueStream())
                .forEach(e -> keys.add(e.get("name").asText()));
        assertEquals(Set.of(), ReadmeKeys.undocumented(keys), "keys the README does not document");
    }
}
