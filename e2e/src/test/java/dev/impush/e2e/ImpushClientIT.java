package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.client.GatewayHeartbeat;
import dev.impush.client.ImEvents;
import dev.impush.client.ImpushClient;
import dev.impush.client.InvalidEventException;
import dev.impush.detector.DetectorMetrics;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.broadcast.BroadcastCancel;
import dev.impush.model.event.QuietHours;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client library as an IM platform uses it, against a real broker, the detector and a worker:
 * every event it builds is one the detector accepts (counted by type, none dead-lettered), the keys
 * put each user's events where the detector's state is, a message reaches the offline phone and not
 * the connected one that acked it, and an invalid event never leaves the client.
 */
@Timeout(180)
class ImpushClientIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static final String IOS_TOKEN = "0123456789abcdef".repeat(4);
    private static LocalPipeline pipeline;
    private static ImpushClient impush;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        pipeline.startWorker("client-worker");
        impush = ImpushClient.builder(pipeline.bootstrapServers()).build();
    }

    @AfterAll
    static void stop() {
        if (impush != null) {
            impush.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static double accepted(String type) {
        return pipeline.count(DetectorMetrics.EVENTS, "type", type);
    }

    @Test
    void everyEventTheClientBuilds_isAcceptedByTheDetector_andAMessageReachesTheOfflinePhoneOnly() throws Exception {
        String user = "client-u1";
        Instant registered = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(new Population(List.of(
                new Population.Device(user, "client-pixel", Channel.FCM, "fcm-client-u1", MockVendors.ANDROID_APP, false, true),
                new Population.Device(user, "client-iphone", Channel.APNS, IOS_TOKEN, "com.example.chat", true, true))),
                registered);
        try (GatewayHeartbeat gateway = impush.heartbeat("gw-client", Duration.ofSeconds(30))) {
            impush.send(ImEvents.device(user, "client-pixel", Channel.FCM, "fcm-client-u1", MockVendors.ANDROID_APP)
                    .locale("en-US").registeredAt(registered).build());
            impush.send(ImEvents.device(user, "client-iphone", Channel.APNS, IOS_TOKEN, "com.example.chat")
                    .registeredAt(registered).build());
            impush.send(ImEvents.online(user, "client-iphone", gateway.gatewayId(), gateway.incarnation()));
            impush.send(ImEvents.offline(user, "client-pixel"));
            impush.send(ImEvents.message("client-m1", user).conversation("dm-client").sender("u7", "Alice")
                    .preview("lunch?").badge(1).build());
            impush.send(ImEvents.routed(user, "client-m1", "client-iphone"));
            impush.send(ImEvents.acked(user, "client-m1", "client-iphone"));
            impush.send(ImEvents.mute(user, "c-noisy", Instant.now().plusSeconds(3600)));
            impush.send(ImEvents.unmute(user, "c-noisy"));
            impush.send(ImEvents.tags(user, Set.of("beta")));
            impush.send(ImEvents.read(user, "dm-other", Instant.now()).unread(0).on("client-iphone").build());
            impush.send(ImEvents.preferences(user, new QuietHours("22:00", "07:00", "UTC", QuietHours.Mode.SILENT, true,
                    true)));
            impush.send(ImEvents.callInvite("client-call", user, "u7").callerName("Alice").build());
            impush.send(ImEvents.callCancel("client-call", user, "u7").callerName("Alice").build());
            impush.send(ImEvents.recall(user, "client-never-sent", "dm-client", Instant.now(), Duration.ofHours(1)));
            impush.send(new BroadcastCancel(Contract.VERSION, "client-no-such-broadcast", Instant.now()));
            impush.send(ImEvents.unregister(user, "client-gone")).get();

            Await.until(SETTLED, () -> pipeline.ledger(Channel.FCM).requests("client-m1", "client-pixel") == 1,
                    () -> "the Pixel got " + pipeline.ledger(Channel.FCM).requests("client-m1", "client-pixel") + " pushes");
            for (String type : List.of("device", "presence", "message", "routed", "acked", "mute", "tags", "read",
                    "preferences", "call", "recall")) {
                Await.until(SETTLED, () -> accepted(type) > 0, () -> type + " events not counted by the detector");
            }
            Thread.sleep(LocalPipeline.ACK_TIMEOUT.toMillis() + 1000); // past the iPhone's ack deadline
            assertEquals(0, pipeline.ledger(Channel.APNS).requests("client-m1", "client-iphone"),
                    "the connected iPhone acked the message: no push");
            assertEquals(0, pipeline.count(DetectorMetrics.DEAD_LETTERS), "nothing the client sent was dead-lettered");
        }
    }

    @Test
    void anInvalidEvent_neverLeavesTheClient() {
        double before = accepted("message");
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> impush.send(ImEvents.message("client-bad", "client-u2").preview("no conversation").build()));
        assertTrue(e.getMessage().contains("conversationId"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> impush.heartbeat("gw-client", Duration.ofSeconds(1)),
                "a lease too short to renew");
        impush.flush();
        assertEquals(before, accepted("message"));
    }
}
