package dev.impush.worker.channel.oppo;

import dev.impush.localstack.oppo.MockOppo;
import dev.impush.model.job.Notification;
import dev.impush.worker.TestClock;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static dev.impush.worker.channel.oppo.OppoFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link OppoChannel} against {@link MockOppo} over real HTTP on loopback. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class OppoChannelTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final AtomicInteger ids = new AtomicInteger();
    private MockOppo oppo;
    private OppoChannel channel;

    @BeforeEach
    void start() {
        oppo = MockOppo.start(CLOCK);
        channel = OppoChannel.create(config(oppo.masterSecret()), CLOCK);
    }

    @AfterEach
    void stop() {
        channel.close();
        oppo.close();
    }

    private OppoConfig config(String masterSecret) {
        return config(oppo, masterSecret);
    }

    private static OppoConfig config(MockOppo oppo, String masterSecret, String... more) {
        return OppoConfig.fromEnv(VendorFixtures.env(Stream.concat(Stream.of(OppoConfig.APP_KEY, oppo.appKey(),
                OppoConfig.MASTER_SECRET, masterSecret, OppoConfig.BASE_URL, oppo.baseUrl().toString(),
                "IMPUSH_OPPO_TIMEOUT_MS", "10000", "IMPUSH_OPPO_RATE_LIMIT_BACKOFF_MS", "42000"), Stream.of(more))
                .toArray(String[]::new))).orElseThrow();
    }

    private Delivery registered() {
        int n = ids.incrementAndGet();
        String token = "CN_" + "%032d".formatted(n);
        oppo.registerDevice("device-" + n, token);
        return OppoFixtures.delivery("msg-" + n, "device-" + n, token);
    }

    private static SendOutcome send(OppoChannel ch, Delivery d) throws Exception {
        return ch.send(d).get(10, TimeUnit.SECONDS);
    }

    @Test
    void send_registeredToken_isDeliveredOnceWithNotifyIdOnPrivateChannel() throws Exception {
        Delivery d = registered();

        assertEquals(SendOutcome.DELIVERED, send(channel, d));

        assertEquals(1, oppo.ledger().requests(d.messageId(), d.target().deviceId()));
        var n = oppo.lastMessage().path("notification");
        assertEquals(DeliveryIds.maskedNotifyId("c-" + d.messageId()), n.path("notify_id").asInt());
        assertEquals("IM", n.path("category").asText());
        assertEquals(1, oppo.counted("channel.impush_im"));
        assertEquals(1, oppo.authCalls());
    }

    @Test
    void send_sameMessageTwice_showsOnce() throws Exception {
        Delivery d = registered();

        send(channel, d);
        send(channel, d);

        assertEquals(2, oppo.ledger().requests(d.messageId(), d.target().deviceId()));
        assertEquals(1, oppo.ledger().shown(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_unregisteredToken_reportsInvalidToken() throws Exception {
        Delivery d = OppoFixtures.delivery("msg-unknown", "device-unknown", "CN_unknown");

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(channel, d));

        assertEquals(NOW, invalid.invalidatedAt());
        assertTrue(invalid.reason().contains("10000"), invalid.reason());
    }

    @Test
    void send_expiredToken_reportsInvalidTokenUnsubscribed() throws Exception {
        Delivery d = registered();
        oppo.expireToken(d.target().token(), NOW.minusSeconds(1));

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(channel, d));

        assertTrue(invalid.reason().contains("10001"), invalid.reason());
        assertEquals(0, oppo.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_authTokenExpired_reportsAuthExpiredThenResendFetchesFreshToken() throws Exception {
        Delivery d = registered();
        assertEquals(SendOutcome.DELIVERED, send(channel, registered()));
        oppo.expireAuthTokens();

        SendOutcome.AuthExpired expired = assertInstanceOf(SendOutcome.AuthExpired.class, send(channel, d));
        assertTrue(expired.reason().contains("oppo 11"), expired.reason());
        assertEquals(1, oppo.authCalls());

        assertEquals(SendOutcome.DELIVERED, send(channel, d));
        assertEquals(2, oppo.authCalls());
    }

    @Test
    void send_authTokenLifetimeOver_fetchesNewTokenBeforeSending() throws Exception {
        TestClock clock = new TestClock(NOW);
        try (MockOppo mock = MockOppo.start(clock);
             OppoChannel ch = OppoChannel.create(config(mock, mock.masterSecret(), OppoConfig.AUTH_TOKEN_TTL_MS,
                     Long.toString(Duration.ofMinutes(50).toMillis())), clock)) {
            mock.authTokenLifetime(Duration.ofHours(1));
            mock.registerDevice("d", "CN_d");
            assertEquals(SendOutcome.DELIVERED, send(ch, OppoFixtures.delivery("m1", "d", "CN_d")));

            clock.advance(Duration.ofMinutes(55)); // the mock's token still lives, ours is used up

            assertEquals(SendOutcome.DELIVERED, send(ch, OppoFixtures.delivery("m2", "d", "CN_d")));
            assertEquals(2, mock.authCalls());
            assertEquals(2, mock.counted("send")); // no send was refused for an expired token
        }
    }

    @Test
    void send_flowControl_isRateLimitedForConfiguredBackoff() throws Exception {
        oppo.failNext(1, MockOppo.rateLimited());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(channel, registered()));

        assertEquals(NOW.plusSeconds(42), limited.until());
    }

    @Test
    void send_dailyLimit_isRateLimitedUntilShanghaiMidnight() throws Exception {
        oppo.failNext(1, MockOppo.quotaExceeded());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(channel, registered()));

        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), limited.until());
        assertTrue(limited.reason().contains("33"), limited.reason());
    }

    @Test
    void send_serverError_isRetry() throws Exception {
        Delivery d = registered();
        oppo.failNext(1, MockOppo.serverError());

        assertInstanceOf(SendOutcome.Retry.class, send(channel, d));
        assertEquals(SendOutcome.DELIVERED, send(channel, d));
    }

    @Test
    void send_badSignature_isRejectedWithVendorCode() throws Exception {
        try (OppoChannel wrong = OppoChannel.create(config("not-the-master-secret"), CLOCK)) {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, send(wrong, registered()));

            assertTrue(rejected.reason().contains("oppo 16"), rejected.reason());
            assertEquals(0, oppo.authCalls());
        }
    }

    @Test
    void send_clockOffByMoreThanTenMinutes_isRejectedWithTimestampCode() throws Exception {
        Clock skewed = Clock.fixed(NOW.minus(Duration.ofMinutes(11)), ZoneOffset.UTC);
        try (OppoChannel early = OppoChannel.create(config(oppo.masterSecret()), skewed)) {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, send(early, registered()));

            assertTrue(rejected.reason().contains("oppo 19"), rejected.reason());
        }
    }

    @Test
    void send_unregisteredPrivateChannel_isRejectedWithClassificationCode() throws Exception {
        OppoConfig other = config(oppo, oppo.masterSecret(), OppoConfig.CHANNEL_ID, "marketing", OppoConfig.CATEGORY,
                "IM", OppoConfig.NOTIFY_LEVEL, "2");
        try (OppoChannel ch = OppoChannel.create(other, CLOCK)) {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class, send(ch, registered()));

            assertTrue(rejected.reason().contains("oppo 67"), rejected.reason());
        }
    }

    @Test
    void send_silent_isRejectedWithoutRequest() throws Exception {
        Delivery d = registered();
        var n = d.notification();
        Delivery silent = OppoFixtures.delivery(d.messageId(), d.target().deviceId(), d.target().token(),
                new Notification(n.title(), n.body(), null, null, null, null, n.priority(), true, n.data()), d.expiresAt());

        assertInstanceOf(SendOutcome.Rejected.class, send(channel, silent));
        assertEquals(0, oppo.counted("send"));
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
        assertEquals(1, oppo.authCalls());
        assertEquals(100, oppo.ledger().total(MockOppo.CHANNEL));
    }
}
