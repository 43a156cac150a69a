package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.replay.ReplayCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A vendor keeps failing past the retry tiers, so its jobs are dead-lettered; after recovery the
 * replay tool, used as an operator would, re-sends them once and only once. (The breaker's window
 * is too large to open here: an outage that opens it parks the deliveries until the vendor is back
 * instead, and they need no replay; see VendorBlipIT.)
 */
@Timeout(180)
class ReplayIT {
    private static final int JOBS = 40;

    @Test
    void replayOfAnOutagesDeadLetters_sendsEachOnce_andSaysWhatItSkipped() throws Exception {
        var options = LocalPipeline.Options.defaults().withoutDetector().withRetryTiers("1s")
                .withWorkerEnv(Map.of("IMPUSH_RETRY_INITIAL_BACKOFF_MS", "20", "IMPUSH_RETRY_MAX_ATTEMPTS", "2",
                        "IMPUSH_BREAKER_WINDOW", "10000"));
        try (LocalPipeline pipeline = LocalPipeline.start(options);
             JobProducer jobs = new JobProducer(pipeline.bootstrapServers());
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            pipeline.fcm().failUntil(Instant.now().plus(Duration.ofMinutes(10)), 503, "UNAVAILABLE");
            List<JobProducer.Sent> sent = jobs.send(pipeline, "replay", JOBS, Channel.FCM);
            pipeline.startWorker("replay-worker");
            Await.until(Duration.ofSeconds(60), () -> dlq.poll().total() >= JOBS, () -> "dead letters " + dlq.byReason());
            assertTrue(dlq.letters().stream().allMatch(l -> l.reason() == DeadLetterReason.RETRIES_EXHAUSTED
                    && l.attempts().size() >= 2), "every letter says why and carries its attempts");
            pipeline.fcm().failUntil(Instant.now(), 503, "UNAVAILABLE"); // the vendor is back

            String[] common = {"--bootstrap", pipeline.bootstrapServers(), "--redis", pipeline.stack().redisUri()};
            String summary = cli(Clock.systemUTC(), "summary", "--bootstrap", pipeline.bootstrapServers());
            assertTrue(summary.contains("retries-exhausted") && summary.contains(JOBS + " dead letters"), summary);

            String later = cli(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)), concat(new String[] {"run"}, common));
            assertTrue(later.contains("would replay 0 jobs") && later.contains("skipped " + JOBS + ": expired"), later);

            String dry = cli(Clock.systemUTC(), concat(new String[] {"run", "--channel", "fcm"}, common));
            assertTrue(dry.contains("would replay " + JOBS + " jobs"), dry);
            Thread.sleep(500);
            assertEquals(0, sent.stream().filter(s -> s.shown(pipeline) > 0).count(), "a dry run sends nothing");

            String run = cli(Clock.systemUTC(), concat(new String[] {"run", "--execute", "--rate", "500"}, common));
            assertTrue(run.contains("replayed " + JOBS + " jobs"), run);
            Await.until(Duration.ofSeconds(60), () -> sent.stream().allMatch(s -> s.shown(pipeline) == 1),
                    () -> sent.stream().filter(s -> s.shown(pipeline) != 1).count() + " not delivered once");

            String again = cli(Clock.systemUTC(), concat(new String[] {"run", "--execute", "--group", "second-operator"}, common));
            assertTrue(again.contains("replayed 0 jobs") && again.contains("skipped " + JOBS + ": already delivered"), again);
            String resumed = cli(Clock.systemUTC(), concat(new String[] {"run", "--execute"}, common));
            assertTrue(resumed.contains("replayed 0 jobs"), "the first group resumes after what it replayed: " + resumed);
            Thread.sleep(500);
            assertEquals(0, sent.stream().filter(s -> s.requests(pipeline) > 1).count(), "nothing sent twice");
        }
    }

    private static String cli(Clock clock, String... args) {
        StringWriter out = new StringWriter();
        int rc = ReplayCommand.run(clock, new PrintWriter(out, true), args);
        assertEquals(0, rc, out.toString());
        return out.toString();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
