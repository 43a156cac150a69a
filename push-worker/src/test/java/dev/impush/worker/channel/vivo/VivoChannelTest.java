package dev.impush.worker.channel.vivo;

import dev.impush.localstack.vivo.MockVivo;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.DeliveryIds;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static dev.impush.worker.channel.vivo.VivoFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link VivoChannel} against {@link MockVivo} over real HTTP on loopback. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class VivoChannelTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final AtomicInteger ids = new AtomicInteger();
    private MockVivo vivo;
    private VivoChannel channel;

    @BeforeEach
    void start() {
        vivo = MockVivo.start(CLOCK);
        channel = VivoChannel.create(config(vivo.appSecret()), CLOCK);
    }

    @AfterEach
    void stop() {
        channel.close();
        vivo.close();
    }

    private VivoConfig config(String secret) {
        return VivoConfig.fromEnv(VendorFixtures.env(VivoConfig.APP_ID, vivo.appId(), VivoConfig.APP_KEY,
                vivo.appKey(), VivoConfig.APP_SECRET, secret, VivoConfig.BASE_URL, vivo.baseUrl().toString(),
                "IMPUSH_VIVO_TIMEOUT_MS", "10000", "IMPUSH_VIVO_RATE_LIMIT_BACKOFF_MS", "42000")).orElseThrow();
    }

    private Delivery registered() {
        int n = ids.incrementAndGet();
        String token = String.format("%023d", n); // vivo regIds are 23 characters
        vivo.registerDevice("device-" + n, token);
        return VivoFixtures.delivery("msg-" + n, "device-" + n, token);
    }

    private static SendOutcome send(VivoChannel ch, Delivery d) throws Exception {
        return ch.send(d).get(10, TimeUnit.SECONDS);
    }

    @Test
    void send_registeredToken_isDeliveredOnceWithNotifyIdAndImClass() throws Exception {
        Delivery d = registered();

        assertEquals(SendOutcome.DELIVERED, send(channel, d));

        assertEquals(1, vivo.ledger().requests(d.messageId(), d.target().deviceId()));
        int notifyId = DeliveryIds.maskedNotifyId("c-" + d.messageId());
        assertEquals(notifyId, vivo.lastSend().path("notifyId").asInt());
        assertEquals(1, vivo.counted("class.1/IM"));
        assertEquals(1, vivo.authCalls());
    }

    @Test
    void send_sameMessageTwice_showsOnce() throws Exception {
        Delivery d = registered();

        send(channel, d);
        send(channel, d);

        assertEquals(2, vivo.ledger().requests(d.messageId(), d.target().deviceId()));
        assertEquals(1, vivo.ledger().shown(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_unregisteredToken_reportsInvalidTokenFromInvalidUser() throws Exception {
        Delivery d = VivoFixtures.delivery("msg-unknown", "device-unknown", "0".repeat(23));

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(channel, d));

        assertEquals(NOW, invalid.invalidatedAt());
        assertTrue(invalid.reason().contains("status 1"), invalid.reason());
        assertEquals(0, vivo.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_expiredToken_reportsInvalidTokenUninstalled() throws Exception {
        Delivery d = registered();
        vivo.expireToken(d.target().token(), NOW.minusSeconds(1));

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(channel, d));

        assertTrue(invalid.reason().contains("status 2"), invalid.reason());
    }

    @Test
    void send_authTokenExpired_reportsAuthExpiredThenResendFetchesFreshToken() throws Exception {
        Delivery d = registered();
        assertEquals(SendOutcome.DELIVERED, send(channel, registered()));
        vivo.expireAuthTokens();

        SendOutcome.AuthExpired expired = assertInstanceOf(SendOutcome.AuthExpired.class, send(channel, d));
        assertTrue(expired.reason().contains("10000"), expired.reason());
        assertEquals(1, vivo.authCalls());

        assertEquals(SendOutcome.DELIVERED, send(channel, d));
        assertEquals(2, vivo.authCalls());
        assertEquals(1, vivo.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_frequencyLimited_isRateLimitedForConfiguredBackoff() throws Exception {
        send(channel, registered());
        vivo.failNext(1, MockVivo.rateLimited());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(channel, registered()));

        assertEquals(NOW.plusSeconds(42), limited.until());
    }

    @Test
    void send_dailyQuotaExhausted_isRateLimitedUntilShanghaiMidnight() throws Exception {
        vivo.failNext(1, MockVivo.quotaExceeded());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(channel, registered()));

        // 12:00Z is 20:00 in Shanghai: the quota resets at 00:00 +08:00 = 16:00Z
        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), limited.until());
        assertTrue(limited.reason().contains("10070"), limited.reason());
    }

    @Test
    void send_serverError_isRetry() throws Exception {
        Delivery d = registered();
        vivo.failNext(1, MockVivo.serverError());

        assertInstanceOf(SendOutcome.Retry.class, send(channel, d));
        assertEquals(SendOutcome.DELIVERED, send(channel, d));
    }

    @Test
    void send_badSignature_isRejectedWithVendorCode() throws Exception {
        try (VivoChannel wrong = VivoChannel.create(config("not-the-secret"), CLOCK)) {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, send(wrong, registered()));

            assertTrue(rejected.reason().contains("10206"), rejected.reason());
            assertEquals(0, vivo.authCalls());
        }
    }

    @Test
    void send_clockOffByMoreThanTenMinutes_isRejectedWithTimestampCode() throws Exception {
        Clock skewed = Clock.fixed(NOW.plus(Duration.ofMinutes(11)), ZoneOffset.UTC);
        try (VivoChannel late = VivoChannel.create(config(vivo.appSecret()), skewed)) {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, send(late, registered()));

            assertTrue(rejected.reason().contains("10207"), rejected.reason());
        }
    }

    @Test
    void send_silent_isRejectedWithoutRequest() throws Exception {
        Delivery d = registered();
        var n = d.notification();
        Delivery silent = VivoFixtures.delivery(d.messageId(), d.target().deviceId(), d.target().token(),
                new dev.impush.model.job.Notification(n.title(), n.body(), null, null, null, null, n.priority(), true, n.data()),
                d.expiresAt());

        assertInstanceOf(SendOutcome.Rejected.class, send(channel, silent));
        assertEquals(0, vivo.counted("send"));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void send_hundredConcurrentWithEmptyCache_makeOneAuthCall() throws Exception {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            deliveries.add(registered());
        }
        List<CompletableFuture<SendOutcome>> sends = deliveries.stream().map(channel::send).toList();

        for (CompletableFuture<SendOutcome> s : sends) {
            assertEquals(SendOutcome.DELIVERED, s.get(25, TimeUnit.SECONDS));
        }
        assertEquals(1, vivo.authCalls());
        assertEquals(100, vivo.ledger().total(MockVivo.CHANNEL));
    }
}
