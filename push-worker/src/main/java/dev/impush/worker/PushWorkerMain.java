package dev.impush.worker;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.runtime.JvmMeters;
import dev.impush.runtime.OpsServer;
import dev.impush.runtime.ShutdownHook;
import dev.impush.worker.channel.Channels;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java dev.impush.worker.PushWorkerMain}: one worker replica, configured by environment. */
public final class PushWorkerMain {
    private static final Logger LOG = LoggerFactory.getLogger(PushWorkerMain.class);

    private PushWorkerMain() {}

    public static void main(String[] args) throws Exception {
        Env env = Env.system();
        Clock clock = Clock.systemUTC();
        WorkerConfig config;
        Channels channels;
        try {
            config = WorkerConfig.fromEnv(env);
            channels = Channels.fromEnv(env, clock);
        } catch (ConfigException e) {
            LOG.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters.bindTo(meters);
        PushWorker worker = PushWorker.start(config, channels, meters, clock);
        worker.terminated().whenComplete((ok, failure) -> {
            if (failure != null) {
                // A worker that no longer polls must not look alive: exit so the orchestrator restarts it.
                LOG.error("poll loop died, exiting", failure);
                Runtime.getRuntime().halt(1);
            }
        });
        OpsServer ops = OpsServer.start(config.opsPort(), meters, worker::isRunning);
        LOG.info("ops endpoint on port {}", ops.port());
        ShutdownHook.awaitTermination(() -> {
            LOG.info("SIGTERM: draining");
            worker.close();
            ops.close();
        });
    }
}
