package dev.impush.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/compose/compose.yaml}, checked without a Docker engine: the services it must have,
 * images pinned, what it builds exists (Dockerfile and its targets) and what it mounts exists, every
 * {@code IMPUSH_*} key is one the README documents, every impush command is one the entrypoint knows,
 * ports and worker ids do not clash, and every dependency and volume it names is declared.
 * ({@code ComposeDemoIT} runs the services the way this file starts them.)
 */
class ComposeFileTest {
    private static final Path DIR = Path.of("..", "deploy", "compose").toAbsolutePath().normalize();
    private static JsonNode compose;
    private static JsonNode services;

    @BeforeAll
    static void read() throws IOException {
        compose = Charts.YAML.readTree(DIR.resolve("compose.yaml").toFile());
        services = compose.path("services");
    }

    private static List<String> names() {
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theStackHasRealKafkaAndRedis_topics_theDetector_twoWorkers_andTheDemo() {
        assertEquals(List.of("kafka", "redis", "topics", "demo", "detector", "worker-1", "worker-2"), names());
        assertTrue(services.at("/kafka/image").asText().startsWith("apache/kafka:"));
        assertTrue(services.at("/redis/image").asText().startsWith("redis:"));
        assertTrue(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText().contains("controller"), "KRaft");
        String advertised = services.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText();
        for (String s : names()) {
            JsonNode bootstrap = services.at("/" + s + "/environment/IMPUSH_KAFKA_BOOTSTRAP");
            if (!bootstrap.isMissingNode()) {
                assertTrue(advertised.endsWith("//" + bootstrap.asText()), s + " reaches Kafka as it advertises itself");
            }
        }
        assertTrue(services.at("/redis/command").toString().contains("noeviction"), "dedupe Redis must not evict");
    }

    @Test
    void imagesArePinned_andWhatIsBuiltOrMountedExists() throws IOException {
        String dockerfile = null;
        for (String s : names()) {
            JsonNode service = services.path(s);
            String image = service.path("image").asText();
            assertTrue(image.matches("[^:]+:[^:]+") && !image.endsWith(":latest"), s + " image pinned: " + image);
            JsonNode build = service.path("build");
            if (!build.isMissingNode()) {
                Path context = DIR.resolve(build.path("context").asText()).normalize();
                Path file = context.resolve(build.path("dockerfile").asText());
                assertTrue(Files.isRegularFile(file), s + ": " + file);
                dockerfile = Files.readString(file);
                String target = build.path("target").asText();
                assertTrue(Pattern.compile("(?m)^FROM \\S+ AS " + Pattern.quote(target) + "$").matcher(dockerfile).find(),
                        s + ": the Dockerfile has no stage " + target);
            }
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(DIR.resolve(source)), s + " mounts " + source);
                } else {
                    assertTrue(compose.path("volumes").has(source), s + ": volume " + source + " is not declared");
                }
            }
        }
        assertTrue(dockerfile != null, "nothing is built from deploy/Dockerfile");
    }

    @Test
    void everyImpushSettingIsDocumented_andEveryCommandIsOneTheEntrypointKnows() throws IOException {
        Set<String> keys = new TreeSet<>();
        String entrypoint = Files.readString(DIR.resolve("../docker-entrypoint.sh"));
        Set<String> known = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^\\s+([a-z|-]+)\\)").matcher(entrypoint);
        while (m.find()) {
            known.addAll(List.of(m.group(1).split("\\|")));
        }
        for (String s : names()) {
            JsonNode service = services.path(s);
            service.path("environment").fieldNames().forEachRemaining(k -> {
                if (k.startsWith("IMPUSH_")) {
                    keys.add(k);
                }
            });
            if (service.path("image").asText().startsWith("impush")) {
                String command = service.path("command").get(0).asText();
                assertTrue(known.contains(command), s + ": the entrypoint has no " + command + " (knows " + known + ")");
            }
        }
        assertFalse(keys.isEmpty());
        assertEquals(Set.of(), ReadmeKeys.undocumented(keys), "IMPUSH_* keys the README does not document");
    }

    @Test
    void portsAndWorkerIdsAreUnique_andDependenciesExist() {
        Set<String> hostPorts = new HashSet<>();
        Set<String> workerIds = new HashSet<>();
        for (String s : names()) {
            JsonNode service = services.path(s);
            for (JsonNode port : service.path("ports")) {
                assertTrue(hostPorts.add(port.asText().split(":")[0]), s + " publishes a host port twice: " + port);
            }
            JsonNode id = service.at("/environment/IMPUSH_WORKER_INSTANCE_ID");
            if (!id.isMissingNode()) {
                assertTrue(workerIds.add(id.asText()), "two workers are " + id.asText() + " (static membership)");
            }
            for (Map.Entry<String, JsonNode> dep : service.path("depends_on").properties()) {
                assertTrue(services.has(dep.getKey()), s + " depends on a missing " + dep.getKey());
                assertTrue(Set.of("service_started", "service_healthy", "service_completed_successfully")
                        .contains(dep.getValue().path("condition").asText()), s + " -> " + dep.getKey());
                if (dep.getValue().path("condition").asText().equals("service_healthy")) {
                    assertTrue(services.path(dep.getKey()).has("healthcheck"), dep.getKey() + " has no healthcheck");
                }
            }
        }
        assertEquals(2, workerIds.size());
    }
}
