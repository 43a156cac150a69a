package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * FCM answers 503 for a while: the breaker opens, jobs park in the durable retry tiers instead of
 * hammering the vendor or dead-lettering, and every one is delivered once the vendor is back.
 */
@Timeout(180)
class VendorOutageIT {
    private static final int JOBS = 400;
    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Test
    void outage_opensBreaker_parksJobsInTiers_andDeliversAllAfterRecovery() throws Exception {
        var options = LocalPipeline.Options.defaults().withoutDetector()
                .withRetryTiers("2s,4s,8s,16s")
                .withWorkerEnv(Map.of("IMPUSH_BREAKER_WINDOW", "10", "IMPUSH_BREAKER_OPEN_MS", "1000",
                        "IMPUSH_RETRY_INITIAL_BACKOFF_MS", "50"));
        try (LocalPipeline pipeline = LocalPipeline.start(options);
             JobProducer jobs = new JobProducer(pipeline.bootstrapServers());
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            pipeline.fcm().failUntil(Instant.now().plus(OUTAGE), 503, "UNAVAILABLE");
            List<JobProducer.Sent> sent = jobs.send(pipeline, "outage", JOBS, Channel.FCM);
            pipeline.startWorker("outage-worker");

            Await.until(Duration.ofSeconds(120), () -> sent.stream().allMatch(s -> s.shown(pipeline) >= 1),
                    () -> sent.stream().filter(s -> s.shown(pipeline) == 0).count() + " of " + JOBS + " not delivered");
            long requests = pipeline.fcm().sendRequests();
            assertTrue(pipeline.count(WorkerMetrics.RETRIED) >= JOBS, "jobs parked in retry tiers");
            assertTrue(requests < JOBS * 3L, "the open breaker spared the vendor: " + requests + " requests");
            assertEquals(0, sent.stream().filter(s -> s.shown(pipeline) > 1).count(), "shown twice");
            Thread.sleep(500);
            assertEquals(0, dlq.poll().total(), "nothing dead-lettered: " + dlq.byReason());
        }
    }
}
