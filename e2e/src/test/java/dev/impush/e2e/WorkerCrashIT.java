package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.DeliveryLedger;
import dev.impush.model.Channel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker process killed with SIGKILL mid-stream and restarted loses nothing, and no device
 * shows a notification twice (counted at the mock vendors).
 */
@Timeout(300)
class WorkerCrashIT {
    private static final int JOBS = 20_000;

    @Test
    void kill9MidStream_thenRestart_losesNothing_andShowsNothingTwice() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector())) {
            List<JobProducer.Sent> targets;
            try (JobProducer jobs = new JobProducer(pipeline.bootstrapServers())) {
                targets = jobs.send(pipeline, "crash", JOBS, null);
            }
            DeliveryLedger apns = pipeline.ledger(Channel.APNS);
            DeliveryLedger fcm = pipeline.ledger(Channel.FCM);

            WorkerProcess first = pipeline.startWorkerProcess("crash-worker");
            Await.until(Duration.ofSeconds(90), () -> apns.total() + fcm.total() >= JOBS / 10,
                    () -> "worker delivered only " + (apns.total() + fcm.total()) + "; log " + first.log());
            first.kill9();
            long atKill = apns.total() + fcm.total();
            assertTrue(atKill < JOBS, "killed mid-stream (" + atKill + " of " + JOBS + " delivered)");

            WorkerProcess second = pipeline.startWorkerProcess("crash-worker");
            Await.until(Duration.ofSeconds(180),
                    () -> targets.stream().allMatch(t -> t.shown(pipeline) >= 1),
                    () -> targets.stream().filter(t -> t.shown(pipeline) == 0)
                            .count() + " jobs not delivered; log " + second.log());
            Thread.sleep(1000);
            long lost = targets.stream().filter(t -> t.shown(pipeline) == 0).count();
            long shownTwice = targets.stream().filter(t -> t.shown(pipeline) > 1).count();
            long resends = apns.resends() + fcm.resends();
            System.out.printf("kill -9 after %d of %d deliveries: lost %d, shown twice %d, vendor re-sends %d "
                    + "(absorbed by collapse ids)%n", atKill, JOBS, lost, shownTwice, resends);
            assertEquals(0, lost, "lost");
            assertEquals(0, shownTwice, "shown twice on a device");
            assertTrue(resends <= 5_000, "re-sends bounded by the in-flight window: " + resends);
            assertEquals(143, second.terminate(), "the restarted worker drains and exits through its shutdown hook on SIGTERM");
        }
    }
}
