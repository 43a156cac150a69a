package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.DetectorConfig;
import dev.impush.localstack.Ports;
import dev.impush.runtime.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compose stack's moving parts without Docker: the demo's mock vendors write {@code vendors.env}
 * into a shared directory; the detector and two workers start through the image's entrypoint
 * ({@code deploy/docker-entrypoint.sh}) with {@code IMPUSH_ENV_FILE} pointing at it, as
 * {@code deploy/compose/compose.yaml} starts them, against a real broker and Redis; the demo sends
 * its traffic through the client library and reports BALANCED.
 */
@Timeout(400)
class ComposeDemoIT {

    @Test
    void theDemoReportsBalanced_withServicesConfiguredByItsEnvFile() throws Exception {
        List<Process> services = new ArrayList<>();
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
             MockVendors vendors = MockVendors.start(Clock.systemUTC())) {
            Path shared = Files.createTempDirectory("impush-compose-shared");
            int detectorPort = Ports.free();
            ComposeDemo demo = ComposeDemo.start(vendors, Env.of(Map.of(
                    "IMPUSH_KAFKA_BOOTSTRAP", pipeline.bootstrapServers(),
                    "IMPUSH_DEMO_USERS", "80",
                    "IMPUSH_DEMO_DETECTOR_METRICS", "http://127.0.0.1:" + detectorPort + "/metrics")), shared);
            CompletableFuture<Boolean> report = CompletableFuture.supplyAsync(() -> {
                try {
                    return demo.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Path lib = libRoot();
            Map<String, String> detector = new HashMap<>(pipeline.stack().kafka().serviceEnv());
            detector.put(DetectorConfig.STATE_DIR, Files.createTempDirectory("impush-compose-detector").toString());
            detector.put(DetectorConfig.OPS_PORT, Integer.toString(detectorPort));
            services.add(entrypoint("detector", detector, shared, lib));
            for (String id : List.of("compose-worker-1", "compose-worker-2")) {
                services.add(entrypoint("worker", pipeline.workerEnv(id), shared, lib));
            }
            assertTrue(report.get(300, TimeUnit.SECONDS), "the demo's report is not BALANCED (its lines are above)");
        } finally {
            for (Process p : services) {
                p.destroy();
                if (!p.waitFor(45, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** A service as the image starts it: the entrypoint, reading the demo's env file first. */
    private static Process entrypoint(String service, Map<String, String> env, Path shared, Path lib) throws IOException {
        Path log = Files.createTempFile("impush-compose-" + service, ".log");
        ProcessBuilder pb = new ProcessBuilder("sh", Path.of("..", "deploy", "docker-entrypoint.sh").toString(), service)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        pb.environment().put("IMPUSH_ENV_FILE", shared.resolve(ComposeDemo.ENV_FILE).toString());
        pb.environment().put("IMPUSH_LIB_DIR", lib.toString());
        pb.environment().put("IMPUSH_JAVA_OPTS", "-Xmx256m -Dlogback.configurationFile=logback-text.xml");
        pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        System.out.printf("%s log: %s%n", service, log);
        return pb.start();
    }

    /** Each service's runtime jars, laid out as the image has them ({@code <root>/<module>/*.jar}), as links. */
    private static Path libRoot() throws IOException {
        Path root = Files.createTempDirectory("impush-compose-lib");
        for (String module : List.of("push-worker", "offline-detector")) {
            Path dir = Files.createDirectories(root.resolve(module));
            Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
            try (Stream<Path> deps = Files.list(target.resolve("lib")); Stream<Path> own = Files.list(target)) {
                for (Path jar : Stream.concat(deps, own.filter(p -> p.getFileName().toString()
                        .matches(module + "-[0-9.]+(-SNAPSHOT)?\\.jar"))).toList()) {
                    Files.createSymbolicLink(dir.resolve(jar.getFileName()), jar);
                }
            }
        }
        return root;
    }

}
