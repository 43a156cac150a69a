package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.detector.DetectorMetrics;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.ReadEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Read elsewhere clears, on a real broker and redis-server with the detector, a worker and the vendor
 * mocks keeping what each request carried: a conversation read on one phone is cleared on the user's
 * other phones by a background push that names it and carries the badge of what is left unread, on
 * every channel that has a background push (not vivo or OPPO), never on the phone it was read on; a
 * reading spree clears once per conversation per window.
 */
@Timeout(180)
class ReadElsewhereIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        pipeline.startWorker("read-worker");
        pipeline.ledger(Channel.APNS).keepPayloads();
        pipeline.ledger(Channel.FCM).keepPayloads();
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Population offlineUser(String user, Channel... channels) {
        Instant registeredAt = Instant.now().minusSeconds(60);
        Population p = new Population(java.util.Arrays.stream(channels).map(c -> new Population.Device(user,
                user + "-" + c.wireName(), c, c == Channel.APNS ? MockApns.randomToken() : c.wireName() + "-" + user,
                c == Channel.APNS ? "com.example.chat" : MockVendors.ANDROID_APP, false, true)).toList());
        pipeline.registerAtVendors(p, registeredAt);
        traffic.connect(p, "gw-read", registeredAt);
        return p;
    }

    private static void direct(String user, String conversation, String messageId) {
        traffic.message(new MessageEvent(Contract.VERSION, messageId, user, conversation,
                MessageEvent.ConversationType.DIRECT, "u-carol", "Carol", "hi", false, null, Instant.now(), 3600,
                Priority.HIGH, false));
    }

    private static void awaitDelivered(Population p, String... messageIds) throws InterruptedException {
        for (Population.Device d : p.devices()) {
            for (String m : messageIds) {
                Await.until(SETTLED, () -> pipeline.ledger(d.channel()).requests(m, d.deviceId()) == 1,
                        () -> d.deviceId() + " got no push of " + m);
            }
        }
    }

    @Test
    void aReadOnThePixel_clearsTheConversationOnTheOtherPhones_withTheBadgeOfWhatIsLeft() throws Exception {
        Population p = offlineUser("re-u1", Channel.APNS, Channel.FCM, Channel.HUAWEI, Channel.XIAOMI, Channel.VIVO);
        direct("re-u1", "dm-x", "re-m1");
        direct("re-u1", "dm-x", "re-m2");
        direct("re-u1", "dm-y", "re-m3");
        traffic.flush();
        awaitDelivered(p, "re-m1", "re-m2", "re-m3");

        Instant readUpTo = Instant.now();
        traffic.read(new ReadEvent(Contract.VERSION, "re-u1", "dm-x", readUpTo, null, readUpTo.plusMillis(5), "re-u1-fcm"));
        traffic.flush();

        String clear = "read:dm-x:" + readUpTo.toEpochMilli();
        for (Channel c : List.of(Channel.APNS, Channel.HUAWEI, Channel.XIAOMI)) {
            DeliveryLedger ledger = pipeline.ledger(c);
            String device = "re-u1-" + c.wireName();
            Await.until(SETTLED, () -> ledger.requests(clear, device) == 1, () -> device + " got no clear: " + ledger.tray(device));
        }
        JsonNode apns = Json.mapper().readTree(pipeline.ledger(Channel.APNS).payload(clear, "re-u1-apns").orElseThrow());
        assertEquals(1, apns.path("aps").path("content-available").asInt(), "a background push: " + apns);
        // a background push carries only content-available in aps (Apple): the app sets the badge it is given
        assertEquals("1", apns.path("badge").asText(), "dm-y's message is left unread: " + apns);
        assertEquals(1, apns.path("aps").size(), "nothing shown, no sound: " + apns);
        assertEquals("dm-x", apns.path("clear").asText(), apns.toString());

        Thread.sleep(1_000); // anything else the worker would still send
        assertEquals(0, pipeline.ledger(Channel.FCM).requests(clear, "re-u1-fcm"), "not the phone it was read on");
        assertEquals(3, pipeline.ledger(Channel.VIVO).requests("re-u1-vivo"), "vivo has no background push: the messages only");
    }

    @Test
    void aReadingSpree_clearsOnce_perConversation_perWindow() throws Exception {
        Population p = offlineUser("re-u2", Channel.HUAWEI);
        direct("re-u2", "dm-z", "re-m4");
        traffic.flush();
        awaitDelivered(p, "re-m4");
        double throttledBefore = pipeline.count(DetectorMetrics.DROPPED, "reason", "read-clear-throttled");

        Instant t = Instant.now();
        for (int i = 0; i < 5; i++) { // read on a desktop client, again and again within the window
            traffic.read(new ReadEvent(Contract.VERSION, "re-u2", "dm-z", t.plusMillis(i), null, t.plusMillis(i), null));
        }
        traffic.flush();

        Await.until(SETTLED, () -> pipeline.count(DetectorMetrics.DROPPED, "reason", "read-clear-throttled")
                - throttledBefore >= 4, () -> "the four later reads were not throttled");
        DeliveryLedger hw = pipeline.ledger(Channel.HUAWEI);
        Await.until(SETTLED, () -> hw.requests("read:dm-z:" + t.toEpochMilli(), "re-u2-huawei") == 1, () -> "no clear");
        Thread.sleep(1_000);
        assertEquals(2, hw.requests("re-u2-huawei"), "the message and one clear: " + hw.tray("re-u2-huawei"));
    }
}
