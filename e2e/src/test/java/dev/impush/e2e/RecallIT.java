package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Topics;
import dev.impush.model.event.RecallEvent;
import dev.impush.worker.PushWorker;
import dev.impush.worker.metrics.WorkerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Recall on a real broker and redis-server, the detector, a worker and the mock vendors, which keep
 * each device's tray (a request whose collapse id, APNs {@code apns-collapse-id}, FCM {@code tag} and
 * {@code collapse_key}, Xiaomi and Huawei {@code notify_id}, is shown already replaces that notification)
 * and what each request carried: a delivered message's notification is replaced on the iPhone, the Pixel,
 * the Xiaomi and the Huawei phone by "Message recalled", its text gone; a message recalled before its push
 * went out is never shown; a recall of a message the user never got pushes nothing.
 */
@Timeout(180)
class RecallIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static final String SECRET = "meet me at the secret place";
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;
    private static JobWatch jobs;
    private static PushWorker worker;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        worker = pipeline.startWorker("recall-worker");
        for (Channel c : List.of(Channel.APNS, Channel.FCM, Channel.XIAOMI, Channel.HUAWEI)) {
            pipeline.ledger(c).keepPayloads();
        }
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

    /** An offline user with a phone on each of APNs, FCM, Xiaomi and Huawei. */
    private static Population offlineUser(String user) {
        Instant registeredAt = Instant.now().minusSeconds(60);
        Population p = new Population(List.of(
                device(user, "iphone", Channel.APNS, MockApns.randomToken(), "com.example.chat"),
                device(user, "pixel", Channel.FCM, "fcm-" + user, "com.example.chat.android"),
                device(user, "mi", Channel.XIAOMI, "mi-" + user, "com.example.chat.android"),
                device(user, "huawei", Channel.HUAWEI, "hw-" + user, "com.example.chat.android")));
        pipeline.registerAtVendors(p, registeredAt);
        traffic.connect(p, "gw-recall", registeredAt);
        return p;
    }

    private static Population.Device device(String user, String name, Channel channel, String token, String appId) {
        return new Population.Device(user, user + "-" + name, channel, token, appId, false, true);
    }

    private static void recall(String user, String messageId, Instant sentAt) {
        traffic.recall(new RecallEvent(Contract.VERSION, user, messageId, "g-recall", sentAt, 3600, Instant.now()));
        traffic.flush();
    }

    private static double dropped(String reason) {
        return pipeline.count(WorkerMetrics.DROPPED, "reason", reason);
    }

    @Test
    void aDeliveredMessage_isReplacedOnEveryPhone_byOneWithoutItsText() throws Exception {
        Population p = offlineUser("rc-u1");
        Instant sentAt = Instant.now();
        traffic.groupMessage("rc-u1", "g-recall", "rc-m1", "Alice", SECRET, false, sentAt);
        traffic.flush();
        for (Population.Device d : p.devices()) {
            DeliveryLedger ledger = pipeline.ledger(d.channel());
            Await.until(SETTLED, () -> ledger.requests("rc-m1", d.deviceId()) == 1, () -> d.deviceId() + " got no push");
            assertTrue(ledger.payload("rc-m1", d.deviceId()).orElseThrow().contains(SECRET), "the control: the text went");
        }

        recall("rc-u1", "rc-m1", sentAt);
        for (Population.Device d : p.devices()) {
            DeliveryLedger ledger = pipeline.ledger(d.channel());
            Await.until(SETTLED, () -> ledger.requests("recall:rc-m1", d.deviceId()) == 1,
                    () -> d.deviceId() + " got no recall: " + ledger.tray(d.deviceId()));
            assertEquals(List.of("recall:rc-m1"), List.copyOf(ledger.tray(d.deviceId()).values()),
                    d.deviceId() + ": the recall replaced the message's notification (same collapse / notify id)");
            String payload = ledger.payload("recall:rc-m1", d.deviceId()).orElseThrow();
            assertFalse(payload.contains(SECRET) || payload.contains("Alice"), d.deviceId() + " was sent " + payload);
            assertTrue(payload.contains("rc-m1"), "it names the recalled message for the app: " + payload);
        }
        String apns = pipeline.ledger(Channel.APNS).payload("recall:rc-m1", "rc-u1-iphone").orElseThrow();
        assertTrue(apns.contains("\"loc-key\":\"IMPUSH_MESSAGE_RECALLED\"") && apns.contains("\"interruption-level\":\"passive\""),
                apns);
        assertFalse(apns.contains("\"sound\""), "a recall makes no sound: " + apns);
        assertTrue(pipeline.ledger(Channel.HUAWEI).payload("recall:rc-m1", "rc-u1-huawei").orElseThrow()
                .contains("Message recalled"));
    }

    @Test
    void aMessageRecalledBeforeItsPushWentOut_isNeverShown() throws Exception {
        worker.close(); // the jobs wait in push.jobs, as behind a backlog
        Population p = offlineUser("rc-u2");
        Instant sentAt = Instant.now();
        traffic.groupMessage("rc-u2", "g-recall", "rc-m2", "Alice", SECRET, false, sentAt);
        recall("rc-u2", "rc-m2", sentAt);
        Await.until(SETTLED, () -> jobs.job("rc-m2/rc-u2").isPresent() && jobs.job("recall/rc-m2/rc-u2").isPresent(),
                () -> "the detector did not write the message's and the recall's jobs");
        double before = dropped("recalled");
        worker = pipeline.startWorker("recall-worker"); // the same static member: it takes the partitions over at once

        Await.until(SETTLED, () -> dropped("recalled") - before >= p.devices().size(),
                () -> "cancelled " + (dropped("recalled") - before) + " of " + p.devices().size() + "; trays "
                        + p.devices().stream().map(d -> pipeline.ledger(d.channel()).tray(d.deviceId())).toList()
                        + "; dropped " + pipeline.meters().find(WorkerMetrics.DROPPED).counters().stream()
                        .map(c -> c.getId().getTag("reason") + "=" + c.count()).toList());
        Thread.sleep(1_000); // anything the worker would still send
        for (Population.Device d : p.devices()) {
            DeliveryLedger ledger = pipeline.ledger(d.channel());
            assertEquals(0, ledger.requests(d.deviceId()), d.deviceId() + " was pushed: " + ledger.tray(d.deviceId()));
        }
    }

    @Test
    void aRecallOfAMessageTheUserNeverGot_pushesNothing() throws Exception {
        Population p = offlineUser("rc-u3");
        double before = dropped("recalled");
        recall("rc-u3", "rc-never", Instant.now().minusSeconds(5));
        Await.until(SETTLED, () -> dropped("recalled") - before >= p.devices().size(),
                () -> "the recall was not decided on every device");
        for (Population.Device d : p.devices()) {
            assertEquals(0, pipeline.ledger(d.channel()).requests(d.deviceId()), d.deviceId());
        }
    }
}
