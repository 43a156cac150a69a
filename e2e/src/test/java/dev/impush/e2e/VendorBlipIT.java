package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.FixtureMode;
import dev.impush.model.Channel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A vendor blip costs seconds, not ten minutes. Three workers, steady traffic to FCM and APNs, and
 * FCM failing for a while: every delivery arrives exactly once, the last FCM one within 30 s of
 * FCM's recovery (held deliveries wait for the breaker without climbing the retry tiers, and are let
 * out as soon as it closes), and APNs deliveries keep their latency throughout.
 */
@Timeout(600)
class VendorBlipIT {
    /** Traffic: a batch every 200 ms, half to each vendor. */
    private static final int BATCH = 10;
    private static final Duration TICK = Duration.ofMillis(200);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

    private static LocalPipeline pipeline;
    private static JobProducer jobs;
    /** messageId -> when it was produced / when a vendor first accepted it (epoch ms). */
    private static final Map<String, Long> producedAt = new ConcurrentHashMap<>();
    private static final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(new LocalPipeline.Options(FixtureMode.resolve(), 6, false,
                Duration.ofSeconds(60), "5s,30s,2m,10m,1h", Map.of(), LocalPipeline.Clusters.PLAIN));
        jobs = new JobProducer(pipeline.bootstrapServers());
        for (Channel c : List.of(Channel.FCM, Channel.APNS)) {
            pipeline.ledger(c).listen((channel, messageId, deviceId) ->
                    acceptedAt.putIfAbsent(messageId, System.currentTimeMillis()));
        }
        for (int i = 1; i <= 3; i++) {
            pipeline.startWorker("blip-" + i);
        }
    }

    @AfterAll
    static void stop() {
        if (jobs != null) {
            jobs.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void fcmAnswering503ForAMinute() throws Exception {
        blip("a503", Duration.ofSeconds(60), 503, "UNAVAILABLE", null);
    }

    @Test
    void fcmAnswering503WithRetryAfter() throws Exception {
        blip("retry-after", Duration.ofSeconds(20), 503, "UNAVAILABLE", Duration.ofSeconds(10));
    }

    @Test
    void fcmAnswering429Storm() throws Exception {
        blip("storm", Duration.ofSeconds(20), 429, "QUOTA_EXCEEDED", Duration.ofSeconds(5));
    }

    /** 10 s of traffic, {@code outage} of failing FCM under traffic, 10 s of traffic after it. */
    private void blip(String prefix, Duration outage, int status, String code, Duration retryAfter) throws Exception {
        List<JobProducer.Sent> before = traffic(prefix + "-before", Duration.ofSeconds(10));
        Instant recovery = Instant.now().plus(outage);
        pipeline.fcm().failUntil(recovery, status, code, retryAfter);
        List<JobProducer.Sent> during = traffic(prefix + "-during", outage);
        List<JobProducer.Sent> after = traffic(prefix + "-after", Duration.ofSeconds(10));
        List<JobProducer.Sent> all = new ArrayList<>(before);
        all.addAll(during);
        all.addAll(after);

        Await.until(Duration.ofSeconds(90), () -> all.stream().allMatch(s -> s.shown(pipeline) >= 1),
                () -> all.stream().filter(s -> s.shown(pipeline) == 0).count() + " of " + all.size()
                        + " not delivered; fcm " + pipeline.fcm().rejectedCounts());
        assertEquals(0, all.stream().filter(s -> s.shown(pipeline) > 1).count(), "shown twice");
        long lastFcm = during.stream().filter(s -> s.channel() == Channel.FCM)
                .mapToLong(s -> acceptedAt.get(s.messageId())).max().orElseThrow();
        Duration late = Duration.ofMillis(lastFcm - recovery.toEpochMilli());
        System.out.printf("%s: last FCM delivery %d ms after recovery; APNs p99 before %d ms, during %d ms%n",
                prefix, late.toMillis(), p99(before, Channel.APNS), p99(during, Channel.APNS));
        assertTrue(late.compareTo(RECOVERY_BOUND) <= 0, "last FCM delivery " + late + " after the recovery");
        assertTrue(p99(during, Channel.APNS) <= Math.max(1_000, 3 * p99(before, Channel.APNS)),
                "APNs p99 during the FCM outage " + p99(during, Channel.APNS) + " ms, before "
                        + p99(before, Channel.APNS) + " ms");
    }

    /** Produces a batch per tick for {@code length}, alternating FCM and APNs batches. */
    private static List<JobProducer.Sent> traffic(String prefix, Duration length) throws InterruptedException {
        List<JobProducer.Sent> sent = new ArrayList<>();
        long end = System.nanoTime() + length.toNanos();
        for (int tick = 0; System.nanoTime() < end; tick++) {
            long at = System.currentTimeMillis();
            Channel channel = tick % 2 == 0 ? Channel.FCM : Channel.APNS;
            for (JobProducer.Sent s : jobs.send(pipeline, prefix + "-" + tick, BATCH, channel)) {
                producedAt.put(s.messageId(), at);
                sent.add(s);
            }
            Thread.sleep(TICK.toMillis());
        }
        return sent;
    }

    private static long p99(List<JobProducer.Sent> sent, Channel channel) {
        long[] latencies = sent.stream().filter(s -> s.channel() == channel)
                .mapToLong(s -> acceptedAt.getOrDefault(s.messageId(), Long.MAX_VALUE) - producedAt.get(s.messageId()))
                .sorted().toArray();
        return latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)];
    }
}
