package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.impush.localstack.ChaosProxy;
import dev.impush.localstack.kafka.EmbeddedKafka;
import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.worker.metrics.WorkerMetrics;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The infrastructure fails under load: Redis dies and comes back empty, the APNs connections are
 * reset mid-stream, the broker restarts. Two in-JVM workers; counted at the mock vendors.
 */
@Timeout(240)
class InfrastructureFaultsIT {
    private static final int JOBS = 6_000;

    /** Waits until {@code reading} stops changing for a second (at most 15 s); returns its last value. */
    private static <T> T settle(Supplier<T> reading) throws InterruptedException {
        T last = null;
        T now = reading.get();
        for (int i = 0; i < 15 && !now.equals(last); i++) {
            last = now;
            Thread.sleep(1000);
            now = reading.get();
        }
        return now;
    }

    private static long delivered(LocalPipeline p, List<JobProducer.Sent> sent) {
        return sent.stream().filter(s -> s.shown(p) >= 1).count();
    }

    /**
     * Redis gone: no dedupe decision, so nothing is sent; consumption pauses and resumes when
     * Redis is back. A restarted Redis has lost its marks: jobs not yet committed are sent again,
     * and the collapse id shows them once.
     */
    @Test
    void redisRestartedMidRun_pausesSending_thenDeliversEverything() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
             JobProducer jobs = new JobProducer(pipeline.bootstrapServers());
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            assumeTrue(pipeline.stack().redis() instanceof RedisServerProcess, "needs a killable local redis-server");
            RedisServerProcess redis = (RedisServerProcess) pipeline.stack().redis();
            List<JobProducer.Sent> sent = jobs.send(pipeline, "redis", JOBS, null);
            pipeline.startWorker("redis-worker-1", Map.of("IMPUSH_WORKER_MAX_IN_FLIGHT", "500"));
            pipeline.startWorker("redis-worker-2", Map.of("IMPUSH_WORKER_MAX_IN_FLIGHT", "500"));
            Await.until(Duration.ofSeconds(60), () -> delivered(pipeline, sent) >= JOBS / 5, () -> "slow start");

            redis.kill();
            // Batches claimed just before the kill are still taken in and sent: handing a few hundred
            // deliveries to the channels can take the poll thread most of a second on a busy machine.
            // Once that is over, nothing moves: every worker retries its claim each backoff (1 s) and
            // Redis refuses it.
            record Progress(long delivered, double takenIn) {}
            Progress settled = settle(() -> new Progress(delivered(pipeline, sent),
                    pipeline.count(WorkerMetrics.RECORDS, "result", "accepted")));
            double failedCalls = pipeline.count(WorkerMetrics.DEDUPE_UNAVAILABLE);
            Thread.sleep(2000);
            assertEquals(settled.delivered(), delivered(pipeline, sent), "nothing is sent without a dedupe decision");
            assertEquals(settled.takenIn(), pipeline.count(WorkerMetrics.RECORDS, "result", "accepted"),
                    "no record is taken in while Redis is away");
            assertTrue(failedCalls > 0, "the workers noticed");
            // One try per backoff (1 s) per worker, not one per poll (every 5 ms while work is pending).
            double retried = pipeline.count(WorkerMetrics.DEDUPE_UNAVAILABLE) - failedCalls;
            assertTrue(retried >= 1 && retried <= 12, "Redis asked " + retried + " times in 2 s by two workers");
            // the jobs given back to Kafka still wait, and the lag in seconds says so
            assertTrue(oldestUnfinished(pipeline) >= 2, "oldest unfinished job: " + oldestUnfinished(pipeline) + " s");
            redis.restart();

            Await.until(Duration.ofSeconds(120), () -> delivered(pipeline, sent) == JOBS,
                    () -> (JOBS - delivered(pipeline, sent)) + " not delivered");
            Thread.sleep(500);
            FaultReport.of("redis killed, restarted empty", pipeline, sent, dlq.poll().total()).assertClean();
            Await.until(Duration.ofSeconds(10), () -> oldestUnfinished(pipeline) == 0,
                    () -> "nothing waits once all is delivered: " + oldestUnfinished(pipeline) + " s");
        }
    }

    private static double oldestUnfinished(LocalPipeline pipeline) {
        return pipeline.meters().find(WorkerMetrics.UNFINISHED_AGE).tag("topic", Topics.JOBS).gauges().stream()
                .mapToDouble(Gauge::value).max().orElse(-1);
    }

    @Test
    void apnsConnectionsResetMidStream_loseNothing() throws Exception {
        // Tiers long enough to outlast Pushy's reconnect backoff; a short breaker wait to probe soon.
        var options = LocalPipeline.Options.defaults().withoutDetector().withRetryTiers("2s,4s,8s,16s,32s")
                .withWorkerEnv(Map.of("IMPUSH_BREAKER_OPEN_MS", "1000"));
        try (LocalPipeline pipeline = LocalPipeline.start(options);
             JobProducer jobs = new JobProducer(pipeline.bootstrapServers());
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ);
             ChaosProxy proxy = ChaosProxy.to(pipeline.apns().host(), pipeline.apns().port())) {
            List<JobProducer.Sent> sent = jobs.send(pipeline, "reset", JOBS, Channel.APNS);
            pipeline.startWorker("reset-worker", Map.of("IMPUSH_APNS_PORT", Integer.toString(proxy.port())));
            for (int cut = 1; cut <= 2; cut++) {
                int threshold = JOBS * cut / 3;
                Await.until(Duration.ofSeconds(60), () -> delivered(pipeline, sent) >= threshold,
                        () -> "delivered " + delivered(pipeline, sent) + ", records " + pipeline.count(WorkerMetrics.RECORDS)
                                + ", sends " + pipeline.meters().find(WorkerMetrics.SENDS).counters().stream()
                                .map(c -> c.getId().getTag("outcome") + "=" + c.count()).toList()
                                + ", proxy connections " + proxy.openConnections());
                assertTrue(proxy.openConnections() > 0, "the worker talks to APNs through the proxy");
                proxy.resetConnections();
            }
            Await.until(Duration.ofSeconds(120), () -> delivered(pipeline, sent) == JOBS,
                    () -> (JOBS - delivered(pipeline, sent)) + " not delivered");
            Thread.sleep(500);
            FaultReport.of("APNs connections reset twice mid-stream", pipeline, sent, dlq.poll().total()).assertClean();
        }
    }

    @Test
    void brokerRestartedMidRun_losesNothing() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
             JobProducer jobs = new JobProducer(pipeline.bootstrapServers())) {
            assumeTrue(pipeline.stack().kafka() instanceof EmbeddedKafka, "needs the restartable embedded broker");
            List<JobProducer.Sent> sent = jobs.send(pipeline, "broker", JOBS, null);
            pipeline.startWorker("broker-worker-1", Map.of("IMPUSH_WORKER_MAX_IN_FLIGHT", "500"));
            pipeline.startWorker("broker-worker-2", Map.of("IMPUSH_WORKER_MAX_IN_FLIGHT", "500"));
            Await.until(Duration.ofSeconds(60), () -> delivered(pipeline, sent) >= JOBS / 5, () -> "slow start");
            ((EmbeddedKafka) pipeline.stack().kafka()).restart(Duration.ofSeconds(2));
            Await.until(Duration.ofSeconds(150), () -> delivered(pipeline, sent) == JOBS,
                    () -> (JOBS - delivered(pipeline, sent)) + " not delivered");
            Thread.sleep(500);
            try (DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
                FaultReport.of("broker restarted (2 s down)", pipeline, sent, dlq.poll().total()).assertClean();
            }
        }
    }
}
