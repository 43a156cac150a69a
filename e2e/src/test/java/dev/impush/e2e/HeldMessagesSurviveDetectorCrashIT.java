package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.impush.detector.DetectorConfig;
import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Messages held for a group's coalesced update are the detector's committed state: a detector killed
 * (SIGKILL) while it holds them, and started again on an empty disk (its state comes back from the
 * changelog), still sends the update when the window ends, once.
 */
@Timeout(240)
class HeldMessagesSurviveDetectorCrashIT {
    private static final String APP_ID = "impush-held-crash";
    private static final Duration WINDOW = Duration.ofSeconds(12);

    @Test
    void theUpdate_ofMessagesHeldWhenTheDetectorDied_arrivesOnce() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
             ImTraffic traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()))) {
            pipeline.startWorker("held-worker");
            Map<String, String> env = Map.of(DetectorConfig.APP_ID, APP_ID,
                    CoalesceSettings.WINDOW_MS, Long.toString(WINDOW.toMillis()));
            DetectorProcess first = pipeline.startDetectorProcess("held-1", env);
            Population p = new Population(List.of(new Population.Device("held-u", "held-u-pixel", Channel.FCM,
                    "fcm-held-u", "com.example.chat.android", false, true)));
            Instant at = Instant.now();
            pipeline.registerAtVendors(p, at.minusSeconds(60));
            traffic.connect(p, "gw-held", at.minusSeconds(60));
            for (int i = 1; i <= 5; i++) {
                traffic.groupMessage("held-u", "g-held", "held-m" + i, "Alice", "text " + i, false, at.plusMillis(i));
            }
            traffic.flush();

            DeliveryLedger fcm = pipeline.ledger(Channel.FCM);
            Await.until(Duration.ofSeconds(60), () -> fcm.requests("held-m1", "held-u-pixel") == 1,
                    () -> "the first message was not pushed");
            JobWatch.awaitCaughtUp(admin, APP_ID, Duration.ofSeconds(30)); // the four held messages are committed
            first.kill();
            assertEquals(0, fcm.requests("held-m5", "held-u-pixel"), "killed within the window, before the update");

            try (DetectorProcess second = pipeline.startDetectorProcess("held-2", env)) {
                Await.until(Duration.ofSeconds(90), () -> fcm.requests("held-m5", "held-u-pixel") == 1,
                        () -> "the update of the held messages never came: " + fcm.tray("held-u-pixel") + ", log "
                                + second.log());
                Thread.sleep(WINDOW.toMillis() + 3000); // a second update would come within another window
                assertEquals(2, fcm.requests("held-u-pixel"), "the first push and one update: " + fcm.tray("held-u-pixel"));
                assertEquals(List.of("held-m5"), List.copyOf(fcm.tray("held-u-pixel").values()),
                        "the update replaced the first notification");
            }
        }
    }
}
