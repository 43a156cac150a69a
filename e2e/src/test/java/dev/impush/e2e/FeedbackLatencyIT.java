package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.DetectorMetrics;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How long after a vendor calls a token invalid the detector removes the device (so it makes no
 * more jobs for it): measured message by message on the whole pipeline, and bounded.
 */
@Timeout(180)
class FeedbackLatencyIT {
    private static final int DEVICES = 5;
    /** The README's bound: worker publication plus the detector's read and exactly-once commit. */
    private static final Duration BOUND = Duration.ofSeconds(2);

    @Test
    void aRejectedToken_isRemovedByTheDetectorWithinTheBound() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
             ImTraffic traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS)) {
            pipeline.startWorker("feedback");
            Instant registeredAt = Instant.now().minusSeconds(60);
            Population dead = new Population(IntStream.range(0, DEVICES).mapToObj(i -> new Population.Device(
                    "fb-u" + i, "fb-d" + i, Channel.FCM, "fcm-fb-" + i, MockVendors.ANDROID_APP, false, false)).toList());
            pipeline.registerAtVendors(dead, registeredAt);
            traffic.connect(dead, "gw-fb", registeredAt);
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                int rejected = i + 1;
                traffic.message("fb-u" + i, "fb-m" + i, "hi", Instant.now());
                traffic.flush();
                Await.until(Duration.ofSeconds(30), () -> pipeline.fcm().rejected("UNREGISTERED") >= rejected,
                        () -> "no rejection for device " + rejected);
                long t1 = System.nanoTime();
                Await.until(Duration.ofSeconds(30),
                        () -> pipeline.count(DetectorMetrics.TOKENS_REMOVED, "reason", "invalid-token") >= rejected,
                        () -> "the detector did not remove device " + rejected);
                millis.add((System.nanoTime() - t1) / 1_000_000);
            }
            System.out.println("feedback: vendor rejection -> detector removal, ms: " + millis);
            assertTrue(millis.stream().allMatch(ms -> ms <= BOUND.toMillis()), "removal took " + millis + " ms");
        }
    }
}
