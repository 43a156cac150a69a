package dev.impush.worker.channel.xiaomi;

import dev.impush.worker.channel.http.VendorSettings;
import static dev.impush.worker.channel.xiaomi.XiaomiFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.vendor.MockVendorServer;
import dev.impush.localstack.xiaomi.MockXiaomi;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link XiaomiChannel} against {@link MockXiaomi} over real HTTP on loopback. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class XiaomiChannelTest {
    private static final AtomicInteger ids = new AtomicInteger();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static MockXiaomi mock;
    private static XiaomiChannel channel;

    @BeforeAll
    static void start() {
        mock = MockXiaomi.start(XiaomiFixtures.SECRET, XiaomiFixtures.PACKAGE, Set.of(XiaomiFixtures.CHANNEL_ID), CLOCK);
        channel = XiaomiChannel.create(config(XiaomiFixtures.SECRET), CLOCK);
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            channel.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    private static XiaomiConfig config(String secret) {
        return XiaomiConfig.fromEnv(VendorFixtures.env(XiaomiConfig.APP_SECRET, secret, XiaomiConfig.CHANNEL_ID,
                XiaomiFixtures.CHANNEL_ID, XiaomiConfig.BASE_URL, mock.baseUrl().toString(), "IMPUSH_XIAOMI_TIMEOUT_MS",
                "5000", "IMPUSH_XIAOMI_RATE_LIMIT_BACKOFF_MS", "42000")).orElseThrow();
    }

    private static Delivery registered() {
        int n = ids.incrementAndGet();
        String token = "xm-regid-" + n + "-" + "x".repeat(40);
        mock.registerDevice("device-" + n, token);
        return XiaomiFixtures.delivery("msg-" + n, "device-" + n, token);
    }

    private static SendOutcome send(Delivery d) throws Exception {
        return channel.send(d).get(8, TimeUnit.SECONDS);
    }

    @Test
    void send_registeredToken_isDeliveredOnceWithNotifyId() throws Exception {
        Delivery d = registered();

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));

        assertEquals(2, mock.ledger().requests(d.messageId(), d.target().deviceId()));
        // the same notify_id: the second send replaces the first on the device
        assertEquals(1, mock.ledger().shown(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_unregisteredToken_reportsInvalidTokenFromBadRegids() throws Exception {
        Delivery d = XiaomiFixtures.delivery("msg-unknown", "device-unknown", "never-registered");

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(d));

        assertEquals(NOW, invalid.invalidatedAt());
        assertEquals(0, mock.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_expiredToken_reportsInvalidToken() throws Exception {
        Delivery d = registered();
        mock.expireToken(d.target().token(), NOW.minusSeconds(1));

        assertInstanceOf(SendOutcome.InvalidToken.class, send(d));
    }

    @Test
    void send_badAppSecret_isRejectedWithVendorCode() throws Exception {
        try (XiaomiChannel wrong = XiaomiChannel.create(config("not-the-secret"), CLOCK)) {
            Delivery d = registered();

            SendOutcome outcome = wrong.send(d).get(8, TimeUnit.SECONDS);

            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, outcome);
            assertTrue(rejected.reason().contains("21301"), rejected::reason);
            assertTrue(!rejected.reason().contains("not-the-secret"), rejected::reason);
            assertEquals(0, mock.ledger().requests(d.messageId(), d.target().deviceId()));
        }
    }

    @Test
    void send_channelNotPrivate_isRejectedWithParamCode() throws Exception {
        XiaomiConfig publicChannel = new XiaomiConfig(XiaomiFixtures.SECRET, new VendorSettings(mock.baseUrl(),
                Duration.ofSeconds(5), Duration.ofSeconds(1), VendorSettings.DEFAULT_QUOTA_ZONE,
                VendorSettings.DEFAULT_MAX_CONCURRENCY), "public_marketing",
                Map.of(), Map.of());
        try (XiaomiChannel wrong = XiaomiChannel.create(publicChannel, CLOCK)) {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class,
                    wrong.send(registered()).get(8, TimeUnit.SECONDS));
            assertTrue(rejected.reason().contains("10017") && rejected.reason().contains("channel_id"), rejected::reason);
        }
    }

    @Test
    void send_frequencyLimited_isRateLimitedForTheBackoff() throws Exception {
        mock.failNext(1, MockXiaomi.rateLimited());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(NOW.plusSeconds(42), limited.until());
    }

    @Test
    void send_dailyQuotaExhausted_isRateLimitedUntilShanghaiMidnight() throws Exception {
        mock.failNext(1, MockXiaomi.dailyQuotaExceeded());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), limited.until());
    }

    @Test
    void send_serverError_isRetryAndTheResendIsDelivered() throws Exception {
        Delivery d = registered();
        mock.failNext(1, MockXiaomi.unavailable());

        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(1, mock.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_serverErrorWithJsonBody_isRetry() throws Exception {
        mock.failNext(1, MockVendorServer.Reply.json(500, java.util.Map.of("result", "error", "code", 10001)));

        assertInstanceOf(SendOutcome.Retry.class, send(registered()));
    }

    @Test
    void send_100Concurrent_allDeliveredExactlyOnce() throws Exception {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            deliveries.add(registered());
        }
        List<CompletableFuture<SendOutcome>> futures = deliveries.stream().map(channel::send).toList();

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(8, TimeUnit.SECONDS);

        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            assertEquals(SendOutcome.DELIVERED, futures.get(i).join(), d.messageId());
            assertEquals(1, mock.ledger().requests(d.messageId(), d.target().deviceId()), d.messageId());
        }
        assertEquals(0, mock.authCalls()); // static key: MiPush has no auth endpoint
    }

    @Test
    void send_afterClose_failsFast() {
        XiaomiChannel closed = XiaomiChannel.create(config(XiaomiFixtures.SECRET), CLOCK);
        closed.close();

        assertTrue(closed.send(registered()).isCompletedExceptionally());
    }
}
