package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.detector.DetectorMetrics;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.localstack.webpush.MockWebPush;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.event.RecallEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Web Push to browsers and desktop clients, on a real broker and redis-server with the detector, a
 * worker and a local push service that checks each request as one does (VAPID signed by the key the
 * subscription was made with, for its origin; {@code TTL}, {@code Content-Encoding: aes128gcm},
 * {@code Urgency}, {@code Topic}) and decrypts it as the browser would (RFC 8291).
 */
@Timeout(180)
class WebPushIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
        pipeline.startWorker("webpush-worker");
        pipeline.ledger(Channel.WEBPUSH).keepPayloads();
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

    private static MockWebPush push() {
        return pipeline.vendors().webPush();
    }

    /** A user whose only device is a browser that is not connected, subscribed with {@code token}. */
    private static Population.Device browser(String user, String token, boolean valid) {
        Instant registeredAt = Instant.now().minusSeconds(60);
        Population.Device d = new Population.Device(user, user + "-web", Channel.WEBPUSH, token,
                Population.WEB_APP, false, valid);
        Population p = new Population(List.of(d));
        pipeline.registerAtVendors(p, registeredAt);
        traffic.connect(p, "gw-web", registeredAt);
        return d;
    }

    private static Population.Device browser(String user) {
        return browser(user, pipeline.vendors().subscribe(user + "-web"), true);
    }

    private static void message(String user, String messageId, String preview) {
        traffic.groupMessage(user, "g-web", messageId, "Alice", preview, false, Instant.now());
        traffic.flush();
    }

    private static void awaitPush(Population.Device d, String messageId) throws InterruptedException {
        DeliveryLedger ledger = pipeline.ledger(Channel.WEBPUSH);
        Await.until(SETTLED, () -> ledger.requests(messageId, d.deviceId()) == 1,
                () -> d.deviceId() + " got no " + messageId + "; the push service answered 400 " + push().answered(400)
                        + ", 403 " + push().answered(403));
    }

    @Test
    void aMessage_reachesTheBrowser_encryptedToItsKeys_andTheServiceWorkerReadsIt() throws Exception {
        Population.Device d = browser("wp-u1");
        message("wp-u1", "wp-m1", "see you at noon");
        awaitPush(d, "wp-m1");

        JsonNode shown = Json.mapper().readTree(pipeline.ledger(Channel.WEBPUSH).payload("wp-m1", d.deviceId()).orElseThrow());
        assertEquals("Alice", shown.path("title").asText(), shown.toString());
        assertEquals("see you at noon", shown.path("body").asText());
        assertEquals("wp-m1", shown.path("data").path("messageId").asText());
        assertEquals("g-web", shown.path("data").path("conversationId").asText());
        assertEquals("wp-m1", shown.path("tag").asText(), "showNotification's tag");
        assertEquals(0, push().answered(400) + push().answered(401) + push().answered(403), "every request as RFC 8030/8291/8292 want");
    }

    @Test
    void aRecall_replacesTheNotification_byItsTag() throws Exception {
        Population.Device d = browser("wp-u2");
        Instant sentAt = Instant.now();
        traffic.groupMessage("wp-u2", "g-web", "wp-m2", "Alice", "meet me at the secret place", false, sentAt);
        traffic.flush();
        awaitPush(d, "wp-m2");

        traffic.recall(new RecallEvent(Contract.VERSION, "wp-u2", "wp-m2", "g-web", sentAt, 3600, Instant.now()));
        traffic.flush();
        awaitPush(d, "recall:wp-m2");
        DeliveryLedger ledger = pipeline.ledger(Channel.WEBPUSH);
        assertEquals(List.of("recall:wp-m2"), List.copyOf(ledger.tray(d.deviceId()).values()), "the same tag replaced it");
        assertTrue(!ledger.payload("recall:wp-m2", d.deviceId()).orElseThrow().contains("secret place"));
    }

    @Test
    void anUnsubscribedBrowser_isRemoved_afterThePushServicesGone() throws Exception {
        long goneBefore = push().answered(410);
        double removedBefore = pipeline.count(DetectorMetrics.TOKENS_REMOVED);
        Population.Device d = browser("wp-u3", pipeline.vendors().subscribe("wp-u3-web"), false);
        message("wp-u3", "wp-m3", "hello?");
        Await.until(SETTLED, () -> pipeline.count(DetectorMetrics.TOKENS_REMOVED) > removedBefore,
                () -> "the detector did not remove the browser; 410s " + (push().answered(410) - goneBefore));

        message("wp-u3", "wp-m4", "anyone?");
        Thread.sleep(2_000); // the detector has no device left to push: no job, no request
        assertEquals(1, push().answered(410) - goneBefore, "asked once, never again");
        assertEquals(0, pipeline.ledger(Channel.WEBPUSH).requests(d.deviceId()));
    }

    @Test
    void tooManyRequests_withRetryAfter_isWaitedOut_thenDelivered() throws Exception {
        Population.Device d = browser("wp-u4");
        long limitedBefore = push().answered(429);
        push().failNext(1, 429, Duration.ofSeconds(2));
        long sent = System.nanoTime();
        message("wp-u4", "wp-m5", "after the limit");
        awaitPush(d, "wp-m5");
        long waitedMs = (System.nanoTime() - sent) / 1_000_000;

        assertEquals(1, push().answered(429) - limitedBefore);
        assertTrue(waitedMs >= 1_500, "held for the push service's Retry-After, not retried at once: " + waitedMs + " ms");
    }

    @Test
    void aSubscriptionOnAHostThatIsNoPushService_isNeverRequested_andDeadLettered() throws Exception {
        ObjectNode subscription = (ObjectNode) Json.mapper().readTree(pipeline.vendors().subscribe("wp-u5-web"));
        subscription.put("endpoint", "http://169.254.169.254/latest/meta-data"); // a client's word is not a push service
        Population.Device d = browser("wp-u5", subscription.toString(), true);
        try (DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            message("wp-u5", "wp-m6", "hi");
            Await.until(SETTLED, () -> dlq.poll().letters().stream().anyMatch(WebPushIT::ofM6), () -> "no dead letter");
            DeadLetter letter = dlq.letters().stream().filter(WebPushIT::ofM6).findFirst().orElseThrow();
            assertEquals(DeadLetterReason.REJECTED, letter.reason());
            assertTrue(letter.detail().contains("push service http://169.254.169.254 is not allowed"), letter.detail());
        }
        assertEquals(0, pipeline.ledger(Channel.WEBPUSH).requests(d.deviceId()));
    }

    private static boolean ofM6(DeadLetter letter) {
        return letter.job() != null && "wp-m6".equals(letter.job().messageId());
    }
}
