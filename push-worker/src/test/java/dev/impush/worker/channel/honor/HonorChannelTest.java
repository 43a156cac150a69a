package dev.impush.worker.channel.honor;

import static dev.impush.worker.channel.honor.HonorFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.honor.MockHonor;
import dev.impush.model.codec.Json;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link HonorChannel} over real HTTP against {@link MockHonor}. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HonorChannelTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final int QUOTA_CODE = 80300099; // [U] no documented code: configured for this test
    private static final AtomicInteger ids = new AtomicInteger();
    private static MockHonor honor;
    private HonorChannel channel;

    @BeforeAll
    static void startMock() {
        honor = MockHonor.start(CLOCK, HonorFixtures.APP_ID, HonorFixtures.CLIENT_ID, HonorFixtures.CLIENT_SECRET);
    }

    @AfterAll
    static void stopMock() {
        honor.close();
    }

    @BeforeEach
    void openChannel() {
        channel = channel(HonorFixtures.CLIENT_SECRET);
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    private static HonorChannel channel(String secret) {
        Map<String, String> env = new HashMap<>();
        env.put(HonorConfig.CLIENT_SECRET, secret);
        env.put(HonorConfig.TOKEN_URL, honor.tokenUrl().toString());
        env.put(HonorConfig.PUSH_URL, honor.baseUrl().toString());
        env.put(HonorConfig.DAILY_QUOTA_CODES, Integer.toString(QUOTA_CODE));
        env.put("IMPUSH_HONOR_RATE_LIMIT_BACKOFF_MS", "42000");
        env.put("IMPUSH_HONOR_TIMEOUT_MS", "5000");
        return HonorChannel.create(HonorFixtures.config(env), CLOCK);
    }

    private static Delivery registered() {
        int n = ids.incrementAndGet();
        String token = "honor-token-" + n + "x".repeat(100);
        honor.registerDevice("device-" + n, token);
        return HonorFixtures.delivery("msg-" + n, "device-" + n, token);
    }

    private SendOutcome send(Delivery d) throws Exception {
        return channel.send(d).get(8, TimeUnit.SECONDS);
    }

    @Test
    void send_registeredToken_isDeliveredOnceAsImWithNotifyId() throws Exception {
        Delivery d = registered();
        long im = honor.counted("class.NORMAL");

        assertEquals(SendOutcome.DELIVERED, send(d));

        assertEquals(1, honor.ledger().requests(d.messageId(), d.target().deviceId()));
        JsonNode sent = Json.mapper().readTree(honor.lastRequestBody());
        assertEquals(DeliveryIds.notifyId(d.notification().collapseId()), sent.path("android").path("notification").path("notifyId").asInt());
        assertEquals(im + 1, honor.counted("class.NORMAL"));
    }

    @Test
    void send_twice_showsOnceThanksToNotifyId() throws Exception {
        Delivery d = registered();

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));

        assertEquals(2, honor.ledger().requests(d.messageId(), d.target().deviceId()));
        assertEquals(1, honor.ledger().shown(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_unregisteredToken_reportsInvalidToken() throws Exception {
        Delivery d = HonorFixtures.delivery("msg-x", "device-x", "never-registered-token");

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(d));

        assertEquals(NOW, invalid.invalidatedAt());
        assertTrue(invalid.reason().contains("80300007"), invalid.reason());
    }

    @Test
    void send_expiredToken_reportsInvalidToken() throws Exception {
        Delivery d = registered();
        honor.expireToken(d.target().token(), NOW.minusSeconds(1));

        assertInstanceOf(SendOutcome.InvalidToken.class, send(d));
        assertEquals(0, honor.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_authTokenExpired_reportsAuthExpiredThenResendFetchesFreshToken() throws Exception {
        assertEquals(SendOutcome.DELIVERED, send(registered()));
        long auth = honor.authCalls();
        honor.expireAuthTokens();
        Delivery d = registered();

        SendOutcome.AuthExpired expired = assertInstanceOf(SendOutcome.AuthExpired.class, send(d));
        assertTrue(expired.reason().contains("80200003"), expired.reason());
        assertEquals(auth, honor.authCalls());

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(auth + 1, honor.authCalls());
        assertEquals(1, honor.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_flowControl_isRateLimitedForBackoff() throws Exception {
        honor.failNext(1, MockHonor.flowControl());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(NOW.plusSeconds(42), limited.until());
    }

    @Test
    void send_dailyQuotaUsedUp_isRateLimitedUntilShanghaiMidnight() throws Exception {
        honor.failNext(1, MockHonor.result(200, QUOTA_CODE, "daily quota exceeded"));

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), limited.until());
    }

    @Test
    void send_serverErrors_areRetried() throws Exception {
        honor.failNext(1, MockHonor.result(500, 81000001, "internal error"));
        honor.failNext(1, new MockHonor.Reply(502, "", Map.of()));
        Delivery d = registered();

        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));
    }

    @Test
    void send_badSecret_isRejectedWithVendorCode() throws Exception {
        try (HonorChannel wrong = channel("not-the-secret")) {
            SendOutcome outcome = wrong.send(registered()).get(8, TimeUnit.SECONDS);

            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, outcome);
            assertTrue(rejected.reason().contains("invalid_client"), rejected.reason());
            assertTrue(!rejected.reason().contains("not-the-secret"), rejected.reason());
        }
    }

    @Test
    void send_100ConcurrentWithEmptyCache_fetchesOneAuthToken() throws Exception {
        long auth = honor.authCalls();
        List<Delivery> deliveries = java.util.stream.Stream.generate(HonorChannelTest::registered).limit(100).toList();

        List<CompletableFuture<SendOutcome>> futures = deliveries.stream().map(channel::send).toList();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(8, TimeUnit.SECONDS);

        futures.forEach(f -> assertEquals(SendOutcome.DELIVERED, f.join()));
        assertEquals(auth + 1, honor.authCalls());
    }

    @Test
    void send_clockSkewBeyondTenMinutes_isRejectedWithVendorCode() throws Exception {
        Clock skewed = Clock.fixed(NOW.minusSeconds(11 * 60), ZoneOffset.UTC);
        Map<String, String> env = new HashMap<>();
        env.put(HonorConfig.TOKEN_URL, honor.tokenUrl().toString());
        env.put(HonorConfig.PUSH_URL, honor.baseUrl().toString());
        try (HonorChannel late = HonorChannel.create(HonorFixtures.config(env), skewed)) {
            SendOutcome outcome = late.send(registered()).get(8, TimeUnit.SECONDS);

            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, outcome);
            assertTrue(rejected.reason().contains("80100001"), rejected.reason());
        }
    }

    @Test
    void send_afterClose_failsFast() {
        HonorChannel closed = channel(HonorFixtures.CLIENT_SECRET);
        closed.close();

        assertTrue(closed.send(registered()).isCompletedExceptionally());
    }
}
