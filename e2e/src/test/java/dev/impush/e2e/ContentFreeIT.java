package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.impush.model.job.LocalizedText;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Content-free pushes for end-to-end encrypted messengers, on a real broker and redis-server with the
 * detector, a worker and every vendor mock keeping what each request carried: a message flagged
 * {@code contentFree}, and every message to an app in the detector's content-free apps, reach APNs,
 * FCM, the six China vendors and Web Push with ids only; no preview, sender, conversation title or route
 * leaves impush. APNs gets {@code mutable-content: 1} (the app's extension fetches and decrypts),
 * FCM a high-priority data message with no notification block.
 */
@Timeout(180)
class ContentFreeIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static final String SECURE_APP = "com.example.secure";
    /** What a message carries that must never reach a vendor in this mode. */
    private static final List<String> SECRETS = List.of("the launch code is 0000", "Mallory", "u-mallory",
            "Launch team", "chat://dm-secret");
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults()
                .withDetector(d -> d.contentFreeApps(Set.of(SECURE_APP))));
        pipeline.startWorker("content-free-worker");
        for (Channel c : Channel.values()) {
            pipeline.ledger(c).keepPayloads();
        }
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

    private static Population offlineUser(List<Population.Device> devices) {
        Instant registeredAt = Instant.now().minusSeconds(60);
        Population p = new Population(devices);
        pipeline.registerAtVendors(p, registeredAt);
        traffic.connect(p, "gw-secret", registeredAt);
        return p;
    }

    /** A device on each channel (a browser on {@code webpush}), of {@code iosApp} and {@code androidApp}. */
    private static List<Population.Device> everyChannel(String user, String iosApp, String androidApp) {
        return Arrays.stream(Channel.values()).map(c -> {
            String deviceId = user + "-" + c.wireName();
            String token = switch (c) {
                case APNS -> MockApns.randomToken();
                case WEBPUSH -> pipeline.vendors().subscribe(deviceId);
                default -> c.wireName() + "-" + user;
            };
            return new Population.Device(user, deviceId, c, token, c == Channel.APNS ? iosApp : androidApp, false, true);
        }).toList();
    }

    /** A message with every kind of text a push could show: preview, sender, a localized title, a route. */
    private static MessageEvent secretMessage(String user, String messageId, boolean contentFree) {
        return new MessageEvent(Contract.VERSION, messageId, user, "dm-secret", MessageEvent.ConversationType.GROUP,
                "u-mallory", "Mallory", "the launch code is 0000", false, null, Instant.now(), 3600, Priority.HIGH,
                false, "chat://dm-secret", new LocalizedText("GROUP_TITLE", List.of("Launch team"), null, List.of()),
                contentFree);
    }

    private static String payload(Population.Device d, String messageId) throws InterruptedException {
        DeliveryLedger ledger = pipeline.ledger(d.channel());
        Await.until(SETTLED, () -> ledger.requests(messageId, d.deviceId()) == 1,
                () -> d.deviceId() + " got no push of " + messageId);
        return ledger.payload(messageId, d.deviceId()).orElseThrow();
    }

    private static void assertIdsOnly(Population.Device d, String messageId, String payload) {
        for (String secret : SECRETS) {
            assertFalse(payload.contains(secret), d.channel().wireName() + " was sent '" + secret + "': " + payload);
        }
        assertTrue(payload.contains(messageId) && payload.contains("dm-secret"),
                d.channel().wireName() + ": the ids the app fetches the message with: " + payload);
    }

    @Test
    void aContentFreeMessage_reachesEveryVendor_withIdsOnly() throws Exception {
        Population p = offlineUser(everyChannel("cf-u1", "com.example.chat", MockVendors.ANDROID_APP));
        traffic.message(secretMessage("cf-u1", "cf-m1", true));
        traffic.flush();

        for (Population.Device d : p.devices()) {
            assertIdsOnly(d, "cf-m1", payload(d, "cf-m1"));
        }
        JsonNode aps = Json.mapper().readTree(payload(p.devices().getFirst(), "cf-m1")).path("aps");
        assertEquals(1, aps.path("mutable-content").asInt(), "the Notification Service Extension runs: " + aps);
        assertEquals("New message", aps.path("alert").path("body").asText(aps.path("alert").asText()), aps.toString());
        JsonNode fcm = Json.mapper().readTree(payload(p.devices().get(Channel.FCM.ordinal()), "cf-m1"));
        assertTrue(fcm.path("android").path("notification").isMissingNode(), "data only: " + fcm);
        assertEquals("high", fcm.path("android").path("priority").asText(), fcm.toString());
    }

    @Test
    void everyPushToAContentFreeApp_carriesIdsOnly_whileTheSameUsersOtherAppShowsTheText() throws Exception {
        // not Xiaomi: MiPush binds its app secret to one package (the mock too); a build of its own comes with its
        // own Xiaomi app, in the apps file
        List<Population.Device> secure = everyChannel("cf-u2", SECURE_APP, SECURE_APP).stream()
                .filter(d -> d.channel() != Channel.XIAOMI).toList();
        Population.Device plain = new Population.Device("cf-u2", "cf-u2-plain-iphone", Channel.APNS,
                MockApns.randomToken(), "com.example.chat", false, true);
        List<Population.Device> all = new java.util.ArrayList<>(secure);
        all.add(plain);
        offlineUser(all);
        traffic.message(secretMessage("cf-u2", "cf-m2", false));
        traffic.flush();

        for (Population.Device d : secure) {
            assertIdsOnly(d, "cf-m2", payload(d, "cf-m2"));
        }
        assertTrue(payload(plain, "cf-m2").contains("the launch code is 0000"),
                "the control: a push to an app that shows previews carries the text");
    }
}
