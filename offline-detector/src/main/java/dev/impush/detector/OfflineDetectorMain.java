package dev.impush.detector;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.runtime.JvmMeters;
import dev.impush.runtime.OpsServer;
import dev.impush.runtime.ShutdownHook;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: configuration from the environment (see {@link DetectorConfig}), the detector, and
 * the ops endpoint ({@code /health/ready} follows {@link OfflineDetector#isRunning()}). Runs until
 * SIGTERM, then closes the detector (which commits) and the endpoint. Topics must already exist.
 */
public final class OfflineDetectorMain {
    private static final Logger log = LoggerFactory.getLogger(OfflineDetectorMain.class);

    private OfflineDetectorMain() {}

    public static void main(String[] args) throws Exception {
        DetectorConfig config;
        try {
            config = DetectorConfig.fromEnv(Env.system());
        } catch (ConfigException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters.bindTo(registry);
        OfflineDetector detector = OfflineDetector.start(config, registry);
        OpsServer ops;
        try {
            ops = OpsServer.start(config.opsPort(), registry, detector::isRunning);
        } catch (IOException | RuntimeException e) {
            detector.close();
            throw e;
        }
        log.info("offline detector {} started: events={} jobs={} ops port {}", config.applicationId(),
                config.eventsTopic(), config.jobsTopic(), ops.port());
        ShutdownHook.awaitTermination(() -> {
            log.info("stopping offline detector");
            detector.close();
            ops.close();
        });
    }
}
