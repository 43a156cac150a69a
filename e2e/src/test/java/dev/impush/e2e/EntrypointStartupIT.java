package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.DetectorConfig;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the image runs, without the image (no Docker engine here): {@code deploy/docker-entrypoint.sh}
 * starts each service from its module's runtime jars alone ({@code <module>/target/lib}, laid out as
 * the Dockerfile copies them into {@code /app/lib}), against a real broker and Redis, and the service
 * reports ready, then stops on SIGTERM. A runtime dependency left in test scope, or a class only the
 * test class path has, fails here and not in production.
 */
@Timeout(300)
class EntrypointStartupIT {
    private static final Duration READY = Duration.ofSeconds(90);
    /** Jars of the test fixtures that must not reach an image. */
    private static final List<String> TEST_ONLY = List.of("local-stack", "e2e", "junit", "testcontainers",
            "kafka_2.13", "kafka-server", "bcpkix", "pushy-mock");
    private static LocalPipeline pipeline;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
    }

    @AfterAll
    static void stop() {
        pipeline.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"worker, push-worker", "detector, offline-detector"})
    void startsFromItsRuntimeJarsAlone(String service, String module) throws Exception {
        Path libRoot = Files.createTempDirectory("impush-app-lib");
        Path lib = Files.createDirectories(libRoot.resolve(module));
        Path target = Path.of("..", module, "target");
        try (Stream<Path> deps = Files.list(target.resolve("lib")); Stream<Path> own = Files.list(target)) {
            Stream.concat(deps, own.filter(p -> p.getFileName().toString().matches(module + "-[0-9.]+(-SNAPSHOT)?\\.jar")))
                    .forEach(jar -> copy(jar, lib.resolve(jar.getFileName())));
        }
        try (Stream<Path> jars = Files.list(lib)) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith(module + "-")), "the service's own jar: " + names);
            assertEquals(List.of(), names.stream().filter(n -> TEST_ONLY.stream().anyMatch(n::startsWith)).toList(),
                    "test or mock jars on the runtime class path");
        }

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(service.equals("worker") ? pipeline.workerEnv("entrypoint-worker")
                : detectorEnv());
        env.put("IMPUSH_OPS_PORT", Integer.toString(port));
        env.put("IMPUSH_LIB_DIR", libRoot.toString());
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        Path log = Files.createTempFile("impush-entrypoint-" + service, ".log");
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of("..", "deploy", "docker-entrypoint.sh").toString(), service)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            assertTrue(awaitReady(port, p), service + " not ready within " + READY + ":\n" + tail(log));
        } finally {
            p.destroy();
            assertTrue(p.waitFor(45, TimeUnit.SECONDS), service + " did not stop on SIGTERM:\n" + tail(log));
        }
        assertFalse(Files.readString(log).contains("ClassNotFoundException"), tail(log));
    }

    private static Map<String, String> detectorEnv() throws IOException {
        Map<String, String> env = new HashMap<>(pipeline.stack().kafka().serviceEnv());
        env.put(DetectorConfig.APP_ID, "impush-entrypoint-detector");
        env.put(DetectorConfig.STATE_DIR, Files.createTempDirectory("impush-entrypoint-detector").toString());
        return env;
    }

    private static boolean awaitReady(int port, Process p) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY.toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
