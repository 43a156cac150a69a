package dev.impush.worker.channel.huawei;

import static dev.impush.worker.channel.huawei.HuaweiFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.huawei.MockHuawei;
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

/** {@link HuaweiChannel} over real HTTP against {@link MockHuawei}. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HuaweiChannelTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String QUOTA_CODE = "80300099"; // [U] no documented code: configured for this test
    private static final AtomicInteger ids = new AtomicInteger();
    private static MockHuawei huawei;
    private HuaweiChannel channel;

    @BeforeAll
    static void startMock() {
        huawei = MockHuawei.start(CLOCK, HuaweiFixtures.APP_ID, HuaweiFixtures.APP_SECRET);
    }

    @AfterAll
    static void stopMock() {
        huawei.close();
    }

    @BeforeEach
    void openChannel() {
        channel = channel(HuaweiFixtures.APP_SECRET);
    }

    @AfterEach
    void closeChannel() {
        channel.close();
    }

    private static HuaweiChannel channel(String secret) {
        Map<String, String> env = new HashMap<>();
        env.put(HuaweiConfig.APP_SECRET, secret);
        env.put(HuaweiConfig.TOKEN_URL, huawei.tokenUrl().toString());
        env.put(HuaweiConfig.PUSH_URL, huawei.baseUrl().toString());
        env.put(HuaweiConfig.DAILY_QUOTA_CODES, QUOTA_CODE);
        env.put("IMPUSH_HUAWEI_RATE_LIMIT_BACKOFF_MS", "42000");
        env.put("IMPUSH_HUAWEI_TIMEOUT_MS", "5000");
        return HuaweiChannel.create(HuaweiFixtures.config(env), CLOCK);
    }

    private static Delivery registered() {
        int n = ids.incrementAndGet();
        String token = "IQAAAACy0k" + n + "x".repeat(100);
        huawei.registerDevice("device-" + n, token);
        return HuaweiFixtures.delivery("msg-" + n, "device-" + n, token);
    }

    private SendOutcome send(Delivery d) throws Exception {
        return channel.send(d).get(8, TimeUnit.SECONDS);
    }

    @Test
    void send_registeredToken_isDeliveredOnceAsImWithNotifyId() throws Exception {
        Delivery d = registered();
        long im = huawei.counted("class.IM");

        assertEquals(SendOutcome.DELIVERED, send(d));

        assertEquals(1, huawei.ledger().requests(d.messageId(), d.target().deviceId()));
        JsonNode sent = Json.mapper().readTree(huawei.lastRequestBody()).path("message");
        assertEquals(DeliveryIds.notifyId(d.notification().collapseId()), sent.path("android").path("notification").path("notify_id").asInt());
        assertEquals(im + 1, huawei.counted("class.IM"));
    }

    @Test
    void send_twice_showsOnceThanksToNotifyId() throws Exception {
        Delivery d = registered();

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));

        assertEquals(2, huawei.ledger().requests(d.messageId(), d.target().deviceId()));
        assertEquals(1, huawei.ledger().shown(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_unregisteredToken_reportsInvalidToken() throws Exception {
        Delivery d = HuaweiFixtures.delivery("msg-x", "device-x", "never-registered-token");

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(d));

        assertEquals(NOW, invalid.invalidatedAt());
        assertTrue(invalid.reason().contains("80300007"), invalid.reason());
    }

    @Test
    void send_expiredToken_reportsInvalidToken() throws Exception {
        Delivery d = registered();
        huawei.expireToken(d.target().token(), NOW.minusSeconds(1));

        assertInstanceOf(SendOutcome.InvalidToken.class, send(d));
        assertEquals(0, huawei.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_authTokenExpired_reportsAuthExpiredThenResendFetchesFreshToken() throws Exception {
        assertEquals(SendOutcome.DELIVERED, send(registered()));
        long auth = huawei.authCalls();
        huawei.expireAuthTokens();
        Delivery d = registered();

        SendOutcome.AuthExpired expired = assertInstanceOf(SendOutcome.AuthExpired.class, send(d));
        assertTrue(expired.reason().contains("80200003"), expired.reason());
        assertEquals(auth, huawei.authCalls());

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(auth + 1, huawei.authCalls());
        assertEquals(1, huawei.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_flowControl_isRateLimitedForBackoff() throws Exception {
        huawei.failNext(1, MockHuawei.flowControl());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(NOW.plusSeconds(42), limited.until());
    }

    @Test
    void send_dailyQuotaUsedUp_isRateLimitedUntilShanghaiMidnight() throws Exception {
        huawei.failNext(1, MockHuawei.result(200, QUOTA_CODE, "daily quota exceeded"));

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), limited.until());
    }

    @Test
    void send_serverErrors_areRetried() throws Exception {
        huawei.failNext(1, MockHuawei.result(500, "81000001", "System inner error"));
        huawei.failNext(1, new MockHuawei.Reply(502, "", Map.of()));
        Delivery d = registered();

        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));
    }

    @Test
    void send_badSecret_isRejectedWithVendorCode() throws Exception {
        try (HuaweiChannel wrong = channel("not-the-secret")) {
            SendOutcome outcome = wrong.send(registered()).get(8, TimeUnit.SECONDS);

            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, outcome);
            assertTrue(rejected.reason().contains("1101"), rejected.reason());
            assertTrue(!rejected.reason().contains("not-the-secret"), rejected.reason());
        }
    }

    @Test
    void send_100ConcurrentWithEmptyCache_fetchesOneAuthToken() throws Exception {
        long auth = huawei.authCalls();
        List<Delivery> deliveries = java.util.stream.Stream.generate(HuaweiChannelTest::registered).limit(100).toList();

        List<CompletableFuture<SendOutcome>> futures = deliveries.stream().map(channel::send).toList();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(8, TimeUnit.SECONDS);

        futures.forEach(f -> assertEquals(SendOutcome.DELIVERED, f.join()));
        assertEquals(auth + 1, huawei.authCalls());
    }

    @Test
    void send_afterClose_failsFast() {
        HuaweiChannel closed = channel(HuaweiFixtures.APP_SECRET);
        closed.close();

        assertTrue(closed.send(registered()).isCompletedExceptionally());
    }
}
