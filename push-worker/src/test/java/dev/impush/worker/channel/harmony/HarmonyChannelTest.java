package dev.impush.worker.channel.harmony;

import static dev.impush.worker.channel.harmony.HarmonyFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.harmony.MockHarmony;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.DeliveryIds;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link HarmonyChannel} over real HTTP against {@link MockHarmony}, which verifies each JWT's PS256 signature. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HarmonyChannelTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final AtomicInteger ids = new AtomicInteger();
    private static MockHarmony harmony;
    private HarmonyChannel channel;

    @BeforeAll
    static void startMock() {
        harmony = MockHarmony.start(CLOCK, HarmonyFixtures.PROJECT_ID);
    }

    @AfterAll
    static void stopMock() {
        harmony.close();
    }

    @BeforeEach
    void openChannel() {
        channel = channel(harmony.serviceAccountJson());
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    private static HarmonyChannel channel(String serviceAccount) {
        Map<String, String> env = new HashMap<>();
        env.put(HarmonyConfig.SERVICE_ACCOUNT, serviceAccount);
        env.put(HarmonyConfig.PUSH_URL, harmony.baseUrl().toString());
        env.put("IMPUSH_HARMONY_RATE_LIMIT_BACKOFF_MS", "42000");
        return HarmonyChannel.create(HarmonyFixtures.config(env), CLOCK);
    }

    private static Delivery registered() {
        return registered(n -> HarmonyFixtures.delivery("msg-" + n, "device-" + n, token(n)));
    }

    private static Delivery registered(java.util.function.IntFunction<Delivery> delivery) {
        int n = ids.incrementAndGet();
        harmony.registerDevice("device-" + n, token(n));
        return delivery.apply(n);
    }

    private static String token(int n) {
        return "MAMzLgAAAAA" + n + "x".repeat(120);
    }

    private SendOutcome send(Delivery d) throws Exception {
        return channel.send(d).get(8, TimeUnit.SECONDS);
    }

    private static JsonNode payload(Delivery d) throws Exception {
        return Json.mapper().readTree(harmony.ledger().payload(d.messageId(), d.target().deviceId()).orElseThrow());
    }

    @BeforeAll
    static void keepPayloads() {
        harmony.ledger().keepPayloads();
    }

    @Test
    void send_chat_isDeliveredOnceAsAnImNotificationThatAResendReplaces() throws Exception {
        Delivery d = registered();
        long im = harmony.counted("class.IM");

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));

        assertEquals(2, harmony.ledger().requests(d.messageId(), d.target().deviceId()));
        assertEquals(1, harmony.ledger().shown(d.messageId(), d.target().deviceId()));
        assertEquals(im + 2, harmony.counted("class.IM"));
        JsonNode n = payload(d).path("payload").path("notification");
        assertEquals(DeliveryIds.notifyId(d.notification().collapseId()), n.path("notifyId").asInt());
        assertEquals(3, n.path("badge").path("setNum").asInt());
    }

    @Test
    void send_readElsewhereAndCall_goAsBackgroundAndVoipPushTypes() throws Exception {
        Delivery clear = registered(n -> HarmonyFixtures.delivery("read-" + n, "device-" + n, token(n),
                new Notification(null, null, null, null, null, "conv-1", Priority.NORMAL, true, Map.of("clear", "conv-1")),
                NOW.plusSeconds(3600)));
        Delivery call = registered(n -> HarmonyFixtures.delivery("call-" + n, "device-" + n, token(n),
                new Notification("Alice", "Incoming audio call", null, "default", "call:c1", null, Priority.HIGH, false,
                        Map.of("callId", "c1", "callAction", "invite"), false, null, false, true), NOW.plusSeconds(30)));
        long background = harmony.counted("pushType.6");
        long voip = harmony.counted("pushType.10");

        assertEquals(SendOutcome.DELIVERED, send(clear));
        assertEquals(SendOutcome.DELIVERED, send(call));

        assertEquals(background + 1, harmony.counted("pushType.6"));
        assertEquals(voip + 1, harmony.counted("pushType.10"));
        assertEquals("conv-1", Json.mapper().readTree(payload(clear).path("payload").path("extraData").asText())
                .path("clear").asText());
        assertEquals("c1", Json.mapper().readTree(payload(call).path("payload").path("extraData").asText())
                .path("callId").asText());
    }

    @Test
    void send_withoutTheVoipRight_isRejectedAndTheTokenKept() throws Exception {
        Delivery call = registered(n -> HarmonyFixtures.delivery("call-" + n, "device-" + n, token(n),
                new Notification("Bob", "Incoming video call", null, "default", "call:c2", null, Priority.HIGH, false,
                        Map.of("callId", "c2"), false, null, false, true), NOW.plusSeconds(30)));
        harmony.revokeRight(10);
        try {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, send(call));

            assertTrue(rejected.reason().contains("80300007") && rejected.reason().contains("noPushTypeRight"),
                    rejected.reason());
            assertEquals(0, harmony.ledger().requests(call.messageId(), call.target().deviceId()));
        } finally {
            harmony.grantRight(10);
        }
    }

    @Test
    void send_unregisteredOrExpiredToken_reportsInvalidToken() throws Exception {
        Delivery unknown = HarmonyFixtures.delivery("msg-x", "device-x", "never-registered-token");
        Delivery expired = registered();
        harmony.expireToken(expired.target().token(), NOW.minusSeconds(1));

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(unknown));
        assertInstanceOf(SendOutcome.InvalidToken.class, send(expired));

        assertEquals(NOW, invalid.invalidatedAt());
        assertTrue(invalid.reason().contains("80300007") && invalid.reason().contains("tokenFormatError"), invalid.reason());
        assertEquals(0, harmony.ledger().requests(expired.messageId(), expired.target().deviceId()));
    }

    @Test
    void send_jwtExpired_reportsAuthExpiredThenTheResendSignsANewOne() throws Exception {
        assertEquals(SendOutcome.DELIVERED, send(registered()));
        long jwts = harmony.authCalls();
        harmony.expireAuthTokens();
        Delivery d = registered();

        SendOutcome.AuthExpired expired = assertInstanceOf(SendOutcome.AuthExpired.class, send(d));
        assertTrue(expired.reason().contains("80200005"), expired.reason());

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(jwts + 1, harmony.authCalls());
        assertEquals(1, harmony.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_jwtSignedByAnotherKey_isRefusedByTheMock() throws Exception {
        long refused = harmony.counted("rejected.auth");
        Delivery d = registered();
        try (HarmonyChannel forged = channel(harmony.forgedServiceAccountJson())) {
            SendOutcome outcome = forged.send(d).get(8, TimeUnit.SECONDS);

            SendOutcome.AuthExpired denied = assertInstanceOf(SendOutcome.AuthExpired.class, outcome);
            assertTrue(denied.reason().contains("80200001"), denied.reason());
        }
        assertEquals(refused + 1, harmony.counted("rejected.auth"));
        assertEquals(0, harmony.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_flowControlServerErrorAndTestQuota_mapToBackoffRetryAndMidnight() throws Exception {
        harmony.failNext(1, MockHarmony.flowControl());
        harmony.failNext(1, MockHarmony.result(500, "81000001", "Inner Error."));
        harmony.failNext(1, MockHarmony.result(400, "80300029", "When send test message, the api request exceed limit."));
        Delivery d = registered();

        assertEquals(NOW.plusSeconds(42), assertInstanceOf(SendOutcome.RateLimited.class, send(d)).until());
        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), assertInstanceOf(SendOutcome.RateLimited.class, send(d)).until());
        assertEquals(SendOutcome.DELIVERED, send(d));
    }

    @Test
    void send_100ConcurrentWithEmptyCache_signsOneJwt() throws Exception {
        long jwts = harmony.authCalls();
        List<Delivery> deliveries = Stream.generate(HarmonyChannelTest::registered).limit(100).toList();

        List<CompletableFuture<SendOutcome>> futures = deliveries.stream().map(channel::send).toList();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(8, TimeUnit.SECONDS);

        futures.forEach(f -> assertEquals(SendOutcome.DELIVERED, f.join()));
        assertEquals(jwts + 1, harmony.authCalls());
    }
}
