package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.harmony.MockHarmony;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.event.CallEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.ReadEvent;
import dev.impush.model.event.RecallEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HarmonyOS NEXT phones through the whole pipeline (detector, worker, a local Push Kit for HarmonyOS
 * that verifies each request's PS256 JWT with the service account's public key and checks the
 * {@code push-type} header against the body): chat as IM notifications with deep link and badge, calls
 * as VoIP call pushes, reads elsewhere as background messages, recalls replacing by {@code notifyId}.
 */
@Timeout(180)
class HarmonyIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        pipeline.startWorker("harmony-worker");
        pipeline.ledger(Channel.HARMONY).keepPayloads();
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
    }

    @AfterAll
    static void stop() {
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private static MockHarmony harmony() {
        return pipeline.vendors().harmony();
    }

    private static DeliveryLedger ledger() {
        return pipeline.ledger(Channel.HARMONY);
    }

    /** {@code user}'s phone on HarmonyOS NEXT, and {@code others} (a Pixel), none connected. */
    private static Population offlineUser(String user, Channel... others) {
        List<Population.Device> devices = new java.util.ArrayList<>();
        devices.add(new Population.Device(user, user + "-mate", Channel.HARMONY, "MAMzLgAAAA-" + user,
                Population.HARMONY_APP, false, true));
        for (Channel c : others) {
            devices.add(new Population.Device(user, user + "-" + c.wireName(), c, c.wireName() + "-" + user,
                    MockVendors.ANDROID_APP, false, true));
        }
        Population p = new Population(devices);
        Instant registeredAt = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(p, registeredAt);
        traffic.connect(p, "gw-harmony", registeredAt);
        return p;
    }

    private static MessageEvent direct(String user, String messageId, Integer badge, String route) {
        return new MessageEvent(Contract.VERSION, messageId, user, "dm-" + user, MessageEvent.ConversationType.DIRECT,
                "u-carol", "Carol", "lunch at noon?", false, badge, Instant.now(), 3600, Priority.HIGH, false, route,
                null, false);
    }

    private static void awaitPush(String deviceId, String messageId, int requests) throws InterruptedException {
        Await.until(SETTLED, () -> ledger().requests(messageId, deviceId) == requests,
                () -> deviceId + " got " + ledger().requests(messageId, deviceId) + " pushes of " + messageId
                        + "; Push Kit refused auth " + harmony().counted("rejected.auth") + ", answered 400 "
                        + harmony().counted("http.400"));
    }

    private static JsonNode payload(String messageId, String deviceId) throws Exception {
        return Json.mapper().readTree(ledger().payload(messageId, deviceId).orElseThrow());
    }

    @Test
    void aMessage_reachesTheHarmonyPhone_asAnImNotification_withItsDeepLinkAndBadge() throws Exception {
        offlineUser("hm-u1");
        long im = harmony().counted("class.IM");
        traffic.message(direct("hm-u1", "hm-m1", 4, "chat://dm/hm-u1"));
        traffic.flush();
        awaitPush("hm-u1-mate", "hm-m1", 1);

        JsonNode n = payload("hm-m1", "hm-u1-mate").path("payload").path("notification");
        assertEquals("IM", n.path("category").asText(), n.toString());
        assertEquals("Carol", n.path("title").asText());
        assertEquals("lunch at noon?", n.path("body").asText());
        assertEquals(1, n.path("clickAction").path("actionType").asInt());
        assertEquals("chat://dm/hm-u1", n.path("clickAction").path("uri").asText());
        assertEquals("hm-m1", n.path("clickAction").path("data").path("messageId").asText());
        assertEquals("dm-hm-u1", n.path("clickAction").path("data").path("conversationId").asText());
        assertEquals(4, n.path("badge").path("setNum").asInt());
        assertTrue(harmony().counted("class.IM") > im);
        assertEquals(0, harmony().counted("rejected.auth"), "every JWT verified with the account's public key");
    }

    @Test
    void aCall_ringsAsAVoipCallPush_withTheCallForTheAppsCallScreen() throws Exception {
        offlineUser("hm-u2");
        long voip = harmony().counted("pushType.10");
        traffic.call(new CallEvent(Contract.VERSION, "hm-call-1", "hm-u2", CallEvent.Action.INVITE, "u-carol", "Carol",
                CallEvent.Media.AUDIO, "dm-hm-u2", 0, Instant.now()));
        traffic.flush();
        awaitPush("hm-u2-mate", "hm-call-1", 1);

        assertEquals(voip + 1, harmony().counted("pushType.10"));
        JsonNode call = Json.mapper().readTree(payload("hm-call-1", "hm-u2-mate").path("payload").path("extraData").asText());
        assertEquals("invite", call.path("callAction").asText());
        assertEquals("Carol", call.path("callerName").asText());
        assertEquals("audio", call.path("media").asText());
    }

    @Test
    void aReadOnThePixel_clearsTheConversationOnTheHarmonyPhone_inTheBackground() throws Exception {
        offlineUser("hm-u3", Channel.FCM);
        traffic.message(direct("hm-u3", "hm-m3", null, null));
        traffic.flush();
        awaitPush("hm-u3-mate", "hm-m3", 1);
        long background = harmony().counted("pushType.6");

        Instant readUpTo = Instant.now();
        traffic.read(new ReadEvent(Contract.VERSION, "hm-u3", "dm-hm-u3", readUpTo, 0, readUpTo.plusMillis(5), "hm-u3-fcm"));
        traffic.flush();
        String clear = "read:dm-hm-u3:" + readUpTo.toEpochMilli();
        awaitPush("hm-u3-mate", clear, 1);

        assertEquals(background + 1, harmony().counted("pushType.6"));
        JsonNode extra = Json.mapper().readTree(payload(clear, "hm-u3-mate").path("payload").path("extraData").asText());
        assertEquals("dm-hm-u3", extra.path("clear").asText());
        assertEquals("0", extra.path("badge").asText());
    }

    @Test
    void aRecall_replacesTheNotification_byItsNotifyId() throws Exception {
        offlineUser("hm-u4");
        Instant sentAt = Instant.now();
        traffic.message(direct("hm-u4", "hm-m4", null, null));
        traffic.flush();
        awaitPush("hm-u4-mate", "hm-m4", 1);

        traffic.recall(new RecallEvent(Contract.VERSION, "hm-u4", "hm-m4", "dm-hm-u4", sentAt, 3600, Instant.now()));
        traffic.flush();
        awaitPush("hm-u4-mate", "recall:hm-m4", 1);

        assertEquals(List.of("recall:hm-m4"), List.copyOf(ledger().tray("hm-u4-mate").values()), "the same notifyId replaced it");
        assertEquals(payload("hm-m4", "hm-u4-mate").path("payload").path("notification").path("notifyId"),
                payload("recall:hm-m4", "hm-u4-mate").path("payload").path("notification").path("notifyId"));
    }

    @Test
    void withoutTheVoipRight_aCallIsDeadLettered_andThePhoneKeepsItsToken() throws Exception {
        offlineUser("hm-u5");
        harmony().revokeRight(10);
        try (DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            traffic.call(new CallEvent(Contract.VERSION, "hm-call-5", "hm-u5", CallEvent.Action.INVITE, "u-carol", "Carol",
                    CallEvent.Media.VIDEO, "dm-hm-u5", 0, Instant.now()));
            traffic.flush();
            Await.until(SETTLED, () -> dlq.poll().letters().stream().anyMatch(HarmonyIT::ofCall5), () -> "no dead letter");
            DeadLetter letter = dlq.letters().stream().filter(HarmonyIT::ofCall5).findFirst().orElseThrow();
            assertEquals(DeadLetterReason.REJECTED, letter.reason());
            assertTrue(letter.detail().contains("noPushTypeRight"), letter.detail());
        } finally {
            harmony().grantRight(10);
        }

        traffic.message(direct("hm-u5", "hm-m5", null, null));
        traffic.flush();
        awaitPush("hm-u5-mate", "hm-m5", 1); // the token was not removed for a missing right
    }

    private static boolean ofCall5(DeadLetter letter) {
        return letter.job() != null && "hm-call-5".equals(letter.job().messageId());
    }
}
