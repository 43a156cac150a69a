package dev.impush.worker.channel.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.localstack.fcm.MockFcmServer;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import static dev.impush.worker.channel.fcm.FcmFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link FcmChannel} against {@link MockFcmServer}: sends, answers, and the service-account token flow. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FcmChannelTest {
    private static final AtomicInteger ids = new AtomicInteger();
    private static MockFcmServer fcm;
    private static FcmChannel channel;

    @BeforeAll
    static void start() {
        fcm = MockFcmServer.start();
        channel = FcmChannel.create(config(fcm.accessToken()), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            channel.close();
        }
        if (fcm != null) {
            fcm.close();
        }
    }

    private static FcmConfig config(String accessToken) {
        return FcmConfig.fromEnv(VendorFixtures.env(FcmConfig.PROJECT_ID, fcm.projectId(), FcmConfig.ACCESS_TOKEN,
                accessToken, FcmConfig.BASE_URL, fcm.baseUrl().toString(), FcmConfig.TIMEOUT_MS, "5000",
                FcmConfig.RATE_LIMIT_BACKOFF_MS, "42000")).orElseThrow();
    }

    /** A fresh message to a freshly registered device. */
    private static Delivery registered() {
        int n = ids.incrementAndGet();
        String token = "fcm-token-" + n + "-" + "x".repeat(120);
        fcm.registerDevice("device-" + n, token);
        return FcmFixtures.delivery("msg-" + n, "device-" + n, token);
    }

    private static SendOutcome send(Delivery d) throws Exception {
        return channel.send(d).get(8, TimeUnit.SECONDS);
    }

    private static JsonNode lastMessage() throws Exception {
        return Json.mapper().readTree(fcm.lastRequestBody().orElseThrow()).path("message");
    }

    @Test
    void send_registeredToken_isDeliveredOnceWithCollapseKey() throws Exception {
        Delivery d = registered();

        assertEquals(SendOutcome.DELIVERED, send(d));
        assertEquals(1, fcm.ledger().requests(d.messageId(), d.target().deviceId()));
        assertEquals(1, fcm.ledger().shown(d.messageId(), d.target().deviceId()));
        assertEquals("c-" + d.messageId(), lastMessage().path("android").path("collapse_key").asText());
    }

    @Test
    void send_unregisteredToken_reportsInvalidToken() throws Exception {
        Delivery d = registered();
        fcm.expireToken(d.target().token());
        long before = fcm.rejected("UNREGISTERED");

        SendOutcome outcome = send(d);

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, outcome);
        assertEquals(NOW, invalid.invalidatedAt());
        assertEquals(before + 1, fcm.rejected("UNREGISTERED"));
        assertEquals(0, fcm.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_wrongAccessToken_reportsAuthExpiredAfterOneRequest() throws Exception {
        try (FcmChannel wrong = FcmChannel.create(config("not-the-token"), Clock.fixed(NOW, ZoneOffset.UTC))) {
            Delivery d = registered();
            long requests = fcm.requests();

            SendOutcome outcome = wrong.send(d).get(8, TimeUnit.SECONDS);

            assertInstanceOf(SendOutcome.AuthExpired.class, outcome, outcome::toString);
            // a static token cannot be refreshed: one request, no resend here
            assertEquals(requests + 1, fcm.requests());
            assertEquals(0, fcm.ledger().requests(d.messageId(), d.target().deviceId()));
        }
    }

    @Test
    void send_quotaExceeded_isRateLimitedUntilRetryAfter() throws Exception {
        Delivery d = registered();
        fcm.failNext(1, 429, "QUOTA_EXCEEDED", Duration.ofSeconds(30));

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(d));

        assertEquals(NOW.plusSeconds(30), limited.until());
        assertEquals(0, fcm.ledger().requests(d.messageId(), d.target().deviceId()));
    }

    @Test
    void send_quotaExceededWithoutRetryAfter_usesConfiguredBackoff() throws Exception {
        fcm.failNext(1, 429, "QUOTA_EXCEEDED", null);

        SendOutcome.RateLimited limited = assertInstanceOf(SendOutcome.RateLimited.class, send(registered()));

        assertEquals(NOW.plusSeconds(42), limited.until());
    }

    @Test
    void send_internalError_isRetryWithoutRetryHere() throws Exception {
        Delivery d = registered();
        fcm.failNext(1, 500, "INTERNAL", null);
        long requests = fcm.requests();

        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertEquals(requests + 1, fcm.requests());
        // the failure was used up: the worker's resend goes through
        assertEquals(SendOutcome.DELIVERED, send(d));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.SECONDS)
    void send_unavailable_isRetryAfterRetryAfterAndNotRetriedHere() throws Exception {
        fcm.failNext(1, 503, "UNAVAILABLE", Duration.ofSeconds(20));
        long requests = fcm.requests();

        SendOutcome.Retry retry = assertInstanceOf(SendOutcome.Retry.class, send(registered()));

        assertEquals(Duration.ofSeconds(20), retry.after());
        assertEquals(requests + 1, fcm.requests());
    }

    @Test
    void send_silentPush_carriesNoNotificationBlock() throws Exception {
        Delivery base = registered();
        Delivery silent = FcmFixtures.delivery(base.messageId(), base.target().deviceId(), base.target().token(),
                FcmFixtures.notification(base.messageId(), "secret", Priority.HIGH, true), NOW.plusSeconds(60));

        assertEquals(SendOutcome.DELIVERED, send(silent));

        JsonNode m = lastMessage();
        assertTrue(m.path("android").path("notification").isMissingNode(), m::toString);
        assertTrue(m.path("notification").isMissingNode(), m::toString);
        assertEquals(base.messageId(), m.path("data").path("messageId").asText());
    }

    @Test
    void send_tenKilobyteBody_isTrimmedAndDelivered() throws Exception {
        Delivery base = registered();
        String body = "long message ✉ ".repeat(700); // ~11 KB of UTF-8
        Delivery big = FcmFixtures.delivery(base.messageId(), base.target().deviceId(), base.target().token(),
                FcmFixtures.notification(base.messageId(), body, Priority.HIGH, false), NOW.plusSeconds(60));

        assertEquals(SendOutcome.DELIVERED, send(big));

        String sent = lastMessage().path("android").path("notification").path("body").asText();
        assertTrue(sent.endsWith("…") && sent.length() < body.length() && sent.length() > 1000,
                () -> "body of " + sent.length() + " chars");
        assertEquals(1, fcm.ledger().requests(big.messageId(), big.target().deviceId()));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void send_200Concurrent_allDeliveredExactlyOnce() throws Exception {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            deliveries.add(registered());
        }
        List<CompletableFuture<SendOutcome>> futures = deliveries.stream().map(channel::send).toList();

        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(8, TimeUnit.SECONDS);

        for (int i = 0; i < deliveries.size(); i++) {
            Delivery d = deliveries.get(i);
            assertEquals(SendOutcome.DELIVERED, futures.get(i).join(), d.messageId());
            assertEquals(1, fcm.ledger().requests(d.messageId(), d.target().deviceId()), d.messageId());
        }
    }

    @Test
    void send_serviceAccount_fetchesOneAccessTokenWithASignedJwtForManySends() throws Exception {
        try (FcmChannel sa = serviceAccountChannel(fcm.serviceAccountFile())) {
            long tokenRequests = fcm.tokenRequests();
            List<Delivery> deliveries = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                deliveries.add(registered());
            }

            List<CompletableFuture<SendOutcome>> sent = deliveries.stream().map(sa::send).toList();

            for (int i = 0; i < sent.size(); i++) {
                assertEquals(SendOutcome.DELIVERED, sent.get(i).get(8, TimeUnit.SECONDS));
                assertEquals(1, fcm.ledger().requests(deliveries.get(i).messageId(), deliveries.get(i).target().deviceId()));
            }
            // the mock verified the JWT's RS256 signature, issuer, audience, scope and lifetime
            assertEquals(tokenRequests + 1, fcm.tokenRequests());
        }
    }

    @Test
    void send_accessTokenExpiredAtFcm_isAuthExpiredOnceThenANewTokenIsFetched() throws Exception {
        try (FcmChannel sa = serviceAccountChannel(fcm.serviceAccountFile())) {
            assertEquals(SendOutcome.DELIVERED, sa.send(registered()).get(8, TimeUnit.SECONDS));
            long tokenRequests = fcm.tokenRequests();
            fcm.expireIssuedTokens();
            Delivery d = registered();

            assertInstanceOf(SendOutcome.AuthExpired.class, sa.send(d).get(8, TimeUnit.SECONDS));
            assertEquals(SendOutcome.DELIVERED, sa.send(d).get(8, TimeUnit.SECONDS)); // the caller's one resend
            assertEquals(tokenRequests + 1, fcm.tokenRequests());
            assertEquals(1, fcm.ledger().shown(d.messageId(), d.target().deviceId()));
        }
    }

    @Test
    void send_serviceAccountGoogleDoesNotKnow_isRejectedNamingTheGrantError() throws Exception {
        Path file = fcm.serviceAccountFile();
        // the same account, signed with another key: Google answers 400 invalid_grant
        Path forged;
        try (MockFcmServer other = MockFcmServer.start()) {
            var json = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(file.toFile());
            json.put("private_key", Json.mapper().readTree(other.serviceAccountFile().toFile()).path("private_key").asText());
            forged = Files.writeString(Files.createTempFile("forged-", ".json"), json.toString());
        }
        try (FcmChannel sa = serviceAccountChannel(forged)) {
            Delivery d = registered();

            SendOutcome outcome = sa.send(d).get(8, TimeUnit.SECONDS);

            var rejected = assertInstanceOf(SendOutcome.Rejected.class, outcome);
            assertTrue(rejected.reason().contains("invalid_grant") && rejected.reason().contains("Invalid JWT Signature"),
                    rejected::reason);
            assertEquals(0, fcm.ledger().requests(d.messageId(), d.target().deviceId()));
        } finally {
            Files.deleteIfExists(forged);
        }
    }

    private static FcmChannel serviceAccountChannel(Path file) {
        return FcmChannel.create(FcmConfig.fromEnv(VendorFixtures.env(FcmConfig.CREDENTIALS_FILE, file.toString(),
                FcmConfig.BASE_URL, fcm.baseUrl().toString())).orElseThrow(), Clock.systemUTC());
    }

    @Test
    void send_afterClose_failsFast() {
        FcmChannel closed = FcmChannel.create(config(fcm.accessToken()), Clock.systemUTC());
        closed.close();

        CompletableFuture<SendOutcome> f = closed.send(registered());

        assertTrue(f.isCompletedExceptionally());
    }
}
