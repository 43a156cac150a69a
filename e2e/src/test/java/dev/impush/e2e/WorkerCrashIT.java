package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Worker processes under load: one of three killed with SIGKILL and restarted, and a rolling
 * restart (SIGTERM, graceful drain) of all three. Nothing is lost and no device shows a
 * notification twice; the worker logs never contain a secret or a whole device token.
 */
@Timeout(300)
class WorkerCrashIT {
    private static final int JOBS = 12_000;

    @Test
    void kill9OneOfThree_thenRestart_losesNothing_andShowsNothingTwice() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            List<JobProducer.Sent> sent;
            try (JobProducer jobs = new JobProducer(pipeline.bootstrapServers())) {
                sent = jobs.send(pipeline, "crash", JOBS, null, 50); // every 50th token is dead at its vendor
            }
            List<WorkerProcess> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                workers.add(pipeline.startWorkerProcess("crash-worker-" + i));
            }
            Await.until(Duration.ofSeconds(120), () -> delivered(pipeline, sent) >= JOBS / 5,
                    () -> "delivered only " + delivered(pipeline, sent) + "; logs " + workers);
            workers.get(1).kill9();
            long atKill = delivered(pipeline, sent);
            assertTrue(atKill < JOBS, "killed mid-stream (" + atKill + " of " + JOBS + ")");
            workers.set(1, pipeline.startWorkerProcess("crash-worker-1"));

            long live = sent.stream().filter(s -> !s.dead()).count();
            Await.until(Duration.ofSeconds(180), () -> delivered(pipeline, sent) == live,
                    () -> (live - delivered(pipeline, sent)) + " jobs not delivered; logs " + workers);
            Thread.sleep(1000);
            FaultReport report = FaultReport.of("kill -9 one of three workers", pipeline, sent, dlq.poll().total());
            report.assertClean();
            assertTrue(report.vendorResends() <= 3 * 5_000, "re-sends bounded by the in-flight windows");
            for (WorkerProcess w : workers) {
                assertEquals(143, w.terminate(), "drains and exits through its shutdown hook on SIGTERM");
            }
            assertLogsKeepSecrets(pipeline, sent, workers);
        }
    }

    @Test
    void rollingRestartUnderLoad_losesNothing_andDrainsGracefully() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ);
             JobProducer jobs = new JobProducer(pipeline.bootstrapServers())) {
            List<WorkerProcess> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                workers.add(pipeline.startWorkerProcess("rolling-worker-" + i));
            }
            List<JobProducer.Sent> sent = new ArrayList<>(jobs.send(pipeline, "rolling-a", JOBS / 3, null));
            for (int i = 0; i < 3; i++) {
                assertEquals(143, workers.get(i).terminate(), "graceful exit on SIGTERM");
                sent.addAll(jobs.send(pipeline, "rolling-" + i, JOBS / 6, null));
                workers.set(i, pipeline.startWorkerProcess("rolling-worker-" + i));
            }
            Await.until(Duration.ofSeconds(180), () -> delivered(pipeline, sent) == sent.size(),
                    () -> (sent.size() - delivered(pipeline, sent)) + " jobs not delivered; logs " + workers);
            Thread.sleep(1000);
            FaultReport report = FaultReport.of("rolling restart of three workers", pipeline, sent, dlq.poll().total());
            report.assertClean();
            workers.forEach(WorkerProcess::close);
        }
    }

    private static long delivered(LocalPipeline p, List<JobProducer.Sent> sent) {
        return sent.stream().filter(s -> !s.dead() && s.shown(p) >= 1).count();
    }

    /** Worker logs (INFO) must not contain a credential or a whole device token. */
    private static void assertLogsKeepSecrets(LocalPipeline pipeline, List<JobProducer.Sent> sent,
                                              List<WorkerProcess> workers) throws Exception {
        StringBuilder logs = new StringBuilder();
        for (WorkerProcess w : workers) {
            logs.append(Files.readString(w.log()));
        }
        assertTrue(logs.length() > 0, "workers wrote logs");
        Map<String, String> env = pipeline.workerEnv("x");
        env.forEach((k, v) -> {
            // app ids and app keys identify the app (they travel in clear in requests); secrets must never show
            if (k.contains("SECRET") || k.contains("ACCESS_TOKEN")) {
                assertTrue(!logs.toString().contains(v), k + " appears in the worker log");
            }
        });
        String p8 = Files.readString(java.nio.file.Path.of(env.get("IMPUSH_APNS_KEY_FILE")));
        String keyBody = p8.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        assertTrue(!logs.toString().contains(keyBody), "the APNs signing key appears in the worker log");
        for (JobProducer.Sent s : sent) {
            assertTrue(!logs.toString().contains(s.token()), "a whole device token appears in the worker log");
        }
    }
}
