package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.event.CallEvent;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.PreferencesEvent;
import dev.impush.model.event.QuietHours;
import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the notifications of an IM app feel like, on a real broker and redis-server, the detector with
 * its defaults, a worker and the mock vendors, which keep each device's tray (a request whose collapse
 * id, APNs {@code apns-collapse-id} or Huawei {@code notify_id}, is already shown replaces that
 * notification) and, for APNs, the payloads: group storms coalesce (3 s window, mentions and direct
 * messages bypass), badges count what is unread, quiet hours silence pushes but an @mention, a deep link
 * reaches the app, a call rings through PushKit.
 */
@Timeout(180)
class ImNotificationSemanticsIT {
    /** The window, the punctuation, the commit, the worker: with slack for a loaded 2-core machine. */
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;
    private static JobWatch jobs;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        pipeline.startWorker("storm-worker");
        pipeline.ledger(Channel.APNS).keepPayloads();
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
        jobs = new JobWatch(pipeline.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        if (jobs != null) {
            jobs.close();
        }
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static Population offlineUser(String user) {
        Instant registeredAt = Instant.now().minusSeconds(60);
        Population p = new Population(List.of(
                new Population.Device(user, user + "-iphone", Channel.APNS, MockApns.randomToken(), "com.example.chat",
                        false, true),
                new Population.Device(user, user + "-huawei", Channel.HUAWEI, "hw-" + user, "com.example.chat.android",
                        false, true)));
        pipeline.registerAtVendors(p, registeredAt);
        traffic.connect(p, "gw-storm", registeredAt);
        return p;
    }

    @Test
    void twentyGroupMessagesInThreeSeconds_showAsOneNotification_withTheCountAndTheLatestPreview() throws Exception {
        Population p = offlineUser("storm-u1");
        Instant at = Instant.now();
        for (int i = 1; i <= 20; i++) {
            traffic.groupMessage("storm-u1", "g-storm", "storm-m" + i, i % 3 == 0 ? "Bob" : "Alice", "text " + i, false,
                    at.plusMillis(25L * i));
        }
        traffic.flush();

        PushJob update = awaitJob("storm-m20/storm-u1/update");
        Notification n = update.notification();
        assertEquals("20 new messages: text 20", n.body());
        assertEquals("Alice and Bob", n.title());
        assertEquals("storm-m1", n.collapseId(), "the first push's collapse id");
        for (Population.Device d : p.devices()) {
            DeliveryLedger ledger = pipeline.ledger(d.channel());
            Await.until(SETTLED, () -> ledger.requests("storm-m20", d.deviceId()) == 1,
                    () -> d.deviceId() + " received " + ledger.requests(d.deviceId()) + " pushes: " + ledger.tray(d.deviceId()));
            assertEquals(2, ledger.requests(d.deviceId()), d.deviceId() + ": the first message and one update, of 20");
            assertEquals(1, ledger.requests("storm-m1", d.deviceId()));
            assertEquals(List.of("storm-m20"), List.copyOf(ledger.tray(d.deviceId()).values()),
                    d.deviceId() + " shows one notification, the update, which replaced the first");
        }
    }

    @Test
    void aMentionDuringAStorm_pushesAtOnce_asANotificationOfItsOwn() throws Exception {
        Population p = offlineUser("storm-u2");
        Instant at = Instant.now();
        for (int i = 1; i <= 10; i++) {
            traffic.groupMessage("storm-u2", "g-mention", "mention-m" + i, "Carol", "text " + i, i == 5,
                    at.plusMillis(25L * i));
        }
        traffic.flush();

        PushJob update = awaitJob("mention-m10/storm-u2/update");
        assertEquals("9 new messages: text 10", update.notification().body(), "the mention is not one of them");
        for (Population.Device d : p.devices()) {
            DeliveryLedger ledger = pipeline.ledger(d.channel());
            Await.until(SETTLED, () -> ledger.requests("mention-m10", d.deviceId()) == 1,
                    () -> d.deviceId() + ": " + ledger.tray(d.deviceId()));
            assertEquals(3, ledger.requests(d.deviceId()), d.deviceId() + ": the first message, the mention, one update");
            Map<String, String> tray = ledger.tray(d.deviceId());
            assertEquals(2, tray.size(), d.deviceId() + ": " + tray);
            assertTrue(tray.containsValue("mention-m5") && tray.containsValue("mention-m10"), tray.toString());
        }
    }

    @Test
    void theBadge_isTheUnreadCount_andFallsWhenAConversationIsRead() throws Exception {
        Population p = offlineUser("badge-u1");
        Population.Device iphone = p.devices().getFirst();
        Instant at = Instant.now();
        traffic.message(direct("badge-u1", "dm-a", "badge-m1", at));
        traffic.message(direct("badge-u1", "dm-a", "badge-m2", at.plusMillis(10)));
        traffic.message(direct("badge-u1", "dm-b", "badge-m3", at.plusMillis(20)));
        traffic.read("badge-u1", "dm-a", at.plusMillis(10), null, at.plusMillis(30)); // read on the desktop
        traffic.message(direct("badge-u1", "dm-b", "badge-m4", at.plusMillis(40)));
        traffic.flush();

        DeliveryLedger apns = pipeline.ledger(Channel.APNS);
        List<String> messages = List.of("badge-m1", "badge-m2", "badge-m3", "badge-m4");
        Await.until(SETTLED, () -> messages.stream().allMatch(m -> apns.payload(m, iphone.deviceId()).isPresent()),
                () -> "not all delivered: " + apns.tray(iphone.deviceId()));
        List<Integer> badges = new ArrayList<>();
        for (String m : messages) {
            badges.add(Json.mapper().readTree(apns.payload(m, iphone.deviceId()).orElseThrow()).path("aps").path("badge").asInt(-1));
        }
        assertEquals(List.of(1, 2, 3, 2), badges, "unread over both conversations; dm-a read before badge-m4");
    }

    @Test
    void inQuietHours_aPushIsSilent_andAnAllowedMentionRings() throws Exception {
        Population p = offlineUser("quiet-u1");
        Population.Device iphone = p.devices().getFirst();
        Instant now = Instant.now();
        LocalTime local = LocalTime.ofInstant(now, ZoneOffset.UTC);
        traffic.preferences(new PreferencesEvent(Contract.VERSION, "quiet-u1", new QuietHours(
                local.minusHours(1).format(HH_MM), local.plusHours(1).format(HH_MM), "UTC", QuietHours.Mode.SILENT, true, false),
                now));
        traffic.message(direct("quiet-u1", "dm-q", "quiet-m1", now));
        MessageEvent mention = direct("quiet-u1", "g-q", "quiet-m2", now);
        traffic.message(new MessageEvent(mention.v(), mention.messageId(), mention.userId(), mention.conversationId(),
                MessageEvent.ConversationType.GROUP, mention.senderId(), mention.senderName(), "@you", true, null,
                now, 3600, Priority.HIGH, false));
        traffic.flush();

        DeliveryLedger apns = pipeline.ledger(Channel.APNS);
        Await.until(SETTLED, () -> apns.payload("quiet-m1", iphone.deviceId()).isPresent()
                && apns.payload("quiet-m2", iphone.deviceId()).isPresent(), () -> "not delivered: " + apns.tray(iphone.deviceId()));
        var quiet = Json.mapper().readTree(apns.payload("quiet-m1", iphone.deviceId()).orElseThrow()).path("aps");
        assertEquals("passive", quiet.path("interruption-level").asText());
        assertTrue(quiet.path("sound").isMissingNode(), quiet.toString());
        assertEquals("hi", quiet.path("alert").path("body").asText(), "shown, quietly");
        var mentioned = Json.mapper().readTree(apns.payload("quiet-m2", iphone.deviceId()).orElseThrow()).path("aps");
        assertEquals("default", mentioned.path("sound").asText(), "the @mention breaks through");
        assertTrue(mentioned.path("interruption-level").isMissingNode(), mentioned.toString());
    }

    @Test
    void aMessagesRouteAndLocalizedText_reachTheApp_andEachVendorsClickAction() throws Exception {
        Population p = offlineUser("route-u1");
        Instant now = Instant.now();
        MessageEvent m = direct("route-u1", "dm-r", "route-m1", now);
        traffic.message(new MessageEvent(m.v(), m.messageId(), m.userId(), m.conversationId(), m.conversationType(),
                m.senderId(), m.senderName(), m.preview(), false, null, now, 3600, Priority.HIGH, false,
                "chat://conversation/dm-r", new LocalizedText("MSG_FROM", List.of("Carol"), "MSG_TEXT", List.of("hi")), false));
        traffic.flush();

        for (Population.Device d : p.devices()) {
            DeliveryLedger ledger = pipeline.ledger(d.channel());
            // the Huawei mock refuses a click_action of type 1 without its intent or action
            Await.until(SETTLED, () -> ledger.requests("route-m1", d.deviceId()) == 1, () -> d.deviceId() + ": not delivered");
        }
        var payload = Json.mapper().readTree(pipeline.ledger(Channel.APNS).payload("route-m1", p.devices().getFirst().deviceId())
                .orElseThrow());
        assertEquals("chat://conversation/dm-r", payload.path("route").asText());
        assertEquals("MSG_FROM", payload.path("aps").path("alert").path("title-loc-key").asText());
        assertEquals("hi", payload.path("aps").path("alert").path("loc-args").get(0).asText());
    }

    @Test
    void aCall_ringsThroughPushKitAndTheAndroidPhone_andACancelLeavesAMissedCall() throws Exception {
        Population p = offlineUser("call-u1");
        Population.Device iphone = p.devices().get(0);
        Population.Device huawei = p.devices().get(1);
        String voipDevice = iphone.deviceId() + ".voip";
        String voipToken = MockApns.randomToken();
        pipeline.apns().registerDevice(voipDevice, voipToken, iphone.appId() + ".voip");
        Instant now = Instant.now();
        traffic.device(new DeviceEvent(Contract.VERSION, DeviceEvent.Action.REGISTER, "call-u1", voipDevice, Channel.APNS,
                voipToken, iphone.appId(), false, "en", true, now.minusSeconds(30), true));
        traffic.call(new CallEvent(Contract.VERSION, "call-1", "call-u1", CallEvent.Action.INVITE, "u-carol", "Carol",
                CallEvent.Media.VIDEO, "dm-c", 0, now));
        traffic.flush();

        DeliveryLedger apns = pipeline.ledger(Channel.APNS);
        DeliveryLedger hw = pipeline.ledger(Channel.HUAWEI);
        Await.until(SETTLED, () -> apns.requests("call-1", voipDevice) == 1 && hw.requests("call-1", huawei.deviceId()) == 1,
                () -> "the call did not ring: " + apns.tray(voipDevice) + " " + hw.tray(huawei.deviceId()));
        var voip = Json.mapper().readTree(apns.payload("call-1", voipDevice).orElseThrow());
        assertEquals("invite", voip.path("callAction").asText());
        assertEquals("video", voip.path("media").asText());
        assertEquals("Carol", voip.path("callerName").asText());
        assertEquals(0, apns.requests("call-1", iphone.deviceId()), "the iPhone rings through PushKit, not its alert token");

        traffic.call(new CallEvent(Contract.VERSION, "call-1", "call-u1", CallEvent.Action.CANCEL, "u-carol", "Carol",
                CallEvent.Media.VIDEO, "dm-c", 0, now.plusSeconds(5)));
        traffic.flush();
        Await.until(SETTLED, () -> hw.requests("call-1", huawei.deviceId()) == 2, () -> "no cancel: " + hw.tray(huawei.deviceId()));
        assertEquals(1, hw.tray(huawei.deviceId()).size(), "the missed call replaced the ringing notification");
        Await.until(SETTLED, () -> apns.requests("call-1", voipDevice) == 2, () -> "no cancel over PushKit");
        assertEquals("cancel", Json.mapper().readTree(apns.payload("call-1", voipDevice).orElseThrow())
                .path("callAction").asText());
    }

    private static MessageEvent direct(String user, String conversation, String messageId, Instant sentAt) {
        return new MessageEvent(Contract.VERSION, messageId, user, conversation, MessageEvent.ConversationType.DIRECT,
                "u-carol", "Carol", "hi", false, null, sentAt, 3600, Priority.HIGH, false);
    }

    private static PushJob awaitJob(String jobId) throws InterruptedException {
        Await.until(SETTLED, () -> jobs.job(jobId).isPresent(), () -> "no job " + jobId);
        return jobs.job(jobId).orElseThrow();
    }
}
