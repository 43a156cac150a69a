package dev.impush.worker.channel.meizu;

import dev.impush.localstack.meizu.MockMeizu;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorFixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static dev.impush.worker.channel.meizu.MeizuFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link MeizuChannel} against {@link MockMeizu} over real HTTP on loopback. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MeizuChannelTest {
    private static final AtomicInteger ids = new AtomicInteger();
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static MockMeizu mock;
    private static MeizuChannel channel;

    @BeforeAll
    static void start() {
        mock = MockMeizu.start(MeizuFixtures.APP_ID, MeizuFixtures.SECRET, CLOCK);
        channel = MeizuChannel.create(config(MeizuFixtures.APP_ID, MeizuFixtures.SECRET), CLOCK);
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

    private static MeizuConfig config(String appId, String secret, String... more) {
        return MeizuConfig.fromEnv(VendorFixtures.env(Stream.concat(Stream.of(MeizuConfig.APP_ID, appId,
                MeizuConfig.APP_SECRET, secret, MeizuConfig.BASE_URL, mock.baseUrl().toString(),
                "IMPUSH_MEIZU_TIMEOUT_MS", "5000", "IMPUSH_MEIZU_RATE_LIMIT_BACKOFF_MS", "42000"), Stream.of(more))
                .toArray(String[]::new))).orElseThrow();
    }

    private static Delivery registered() {
        int n = ids.incrementAndGet();
        String token = "mz-push-" + n + "-" + "x".repeat(30);
        mock.registerDevice("device-" + n, token);
        return MeizuFixtures.delivery("msg-" + n, "device-" + n, token);
    }

    private static SendOutcome send(Delivery d) throws Exception {
        return channel.send(d).get(8, TimeUnit.SECONDS);
    }

    @Test
    void send_registeredToken_isDeliveredOnceWithNotifyKey() throws Exception {
        Delivery d = registered();

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));

        assertEquals(2, mock.ledger().requests(d.messageId(), d.target().deviceId()));
        assertEquals(1, mock.ledger().shown(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_silent_goesPassThroughAndIsDelivered() throws Exception {
        Delivery base = registered();
        Delivery silent = MeizuFixtures.delivery(base.messageId(), base.target().deviceId(), base.target().token(),
                MeizuFixtures.notification(base.messageId(), "Alice", "secret", true), NOW.plusSeconds(60));

        assertEquals(SendOutcome.DELIVERED, send(silent));
        assertEquals(1, mock.ledger().requests(silent.messageId(), silent.target().deviceId()));
    }

    @Test
    void send_unregisteredToken_reportsInvalidTokenFromPerTargetMap() throws Exception {
        Delivery d = MeizuFixtures.delivery("msg-unknown", "device-unknown", "never-registered");

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, send(d));

        assertEquals(NOW, invalid.invalidatedAt());
        assertTrue(invalid.reason().contains("110003"), invalid::reason);
    }

    @Test
    void send_expiredToken_reportsInvalidToken() throws Exception {
        Delivery d = registered();
        mock.expireToken(d.target().token(), NOW.minusSeconds(1));

        assertInstanceOf(SendOutcome.InvalidToken.class, send(d));
        assertEquals(0, mock.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_switchClosedPerTarget_isInvalidToken() throws Exception {
        Delivery d = registered();
        mock.failNext(1, MockMeizu.perTarget("110010", d.target().token()));

        assertInstanceOf(SendOutcome.InvalidToken.class, send(d));
    }

    @Test
    void send_badSignature_isRejectedWithVendorCode() throws Exception {
        try (MeizuChannel wrong = MeizuChannel.create(config(MeizuFixtures.APP_ID, "wrong-secret"), CLOCK)) {
            Delivery d = registered();
            long before = mock.counted("rejected.1006");

            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class,
                    wrong.send(d).get(8, TimeUnit.SECONDS));

            assertTrue(rejected.reason().contains("1006"), rejected::reason);
            assertEquals(before + 1, mock.counted("rejected.1006"));
            assertEquals(0, mock.ledger().requests(d.messageId(), d.target().deviceId()));
        }
    }

    @Test
    void send_unknownAppId_isRejectedWithVendorCode() throws Exception {
        try (MeizuChannel wrong = MeizuChannel.create(config("424242", MeizuFixtures.SECRET), CLOCK)) {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class,
                    wrong.send(registered()).get(8, TimeUnit.SECONDS));
            assertTrue(rejected.reason().contains("110000"), rejected::reason);
        }
    }

    @Test
    void send_publicClass_isRefusedByTheImCheck() throws Exception {
        MeizuConfig publicClass = config(MeizuFixtures.APP_ID, MeizuFixtures.SECRET, MeizuConfig.NOTICE_MSG_TYPE, "0");
        try (MeizuChannel wrong = MeizuChannel.create(publicClass, CLOCK)) {
            SendOutcome.Rejected rejected = assertInstanceOf(SendOutcome.Rejected.class,
                    wrong.send(registered()).get(8, TimeUnit.SECONDS));
            assertTrue(rejected.reason().contains("1005") && rejected.reason().contains("noticeMsgType"), rejected::reason);
        }
    }

    @Test
    void send_tooFast_isRateLimitedForTheBackoff() throws Exception {
        mock.failNext(1, MockMeizu.tooFast());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(NOW.plusSeconds(42), limited.until());
    }

    @Test
    void send_dailyQuotaExhausted_isRateLimitedUntilShanghaiMidnight() throws Exception {
        mock.failNext(1, MockMeizu.dailyQuotaExceeded());

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(Instant.parse("2026-03-01T16:00:00Z"), limited.until());
    }

    @Test
    void send_serverUnavailable_isRetryAndTheResendIsDelivered() throws Exception {
        Delivery d = registered();
        mock.failNext(1, MockMeizu.unavailable());

        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(1, mock.ledger().requests(d.messageId(), d.target().deviceId()));
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
        assertEquals(0, mock.authCalls()); // per-request signature: Flyme has no auth endpoint
    }

    @Test
    void send_afterClose_failsFast() {
        MeizuChannel closed = MeizuChannel.create(config(MeizuFixtures.APP_ID, MeizuFixtures.SECRET), CLOCK);
        closed.close();

        assertTrue(closed.send(registered()).isCompletedExceptionally());
    }
}
