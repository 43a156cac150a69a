package dev.impush.worker.channel.apns;

import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.impush.localstack.apns.MockApns;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.ConfigException;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.VendorFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real channel against {@link MockApns} over TLS with verified provider tokens. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ApnsChannelTest {
    private static final String APP = "dev.impush.demo";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration BACKOFF = Duration.ofSeconds(42);

    private static MockApns apns;
    private static ApnsChannel channel;

    private String deviceId;
    private String token;

    @BeforeAll
    static void start() {
        apns = MockApns.start();
        ApnsConfig config = config(apns.signingKeyFile(), ApnsConfig.CONNECTIONS, "1",
                ApnsConfig.RATE_LIMIT_BACKOFF_MS, Long.toString(BACKOFF.toMillis()));
        channel = ApnsChannel.create(config, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() {
        if (channel != null) {
            channel.close();
        }
        if (apns != null) {
            apns.close();
        }
    }

    @BeforeEach
    void registerDevice() {
        apns.failNext(0, RejectionReason.INTERNAL_SERVER_ERROR);
        deviceId = "dev-" + UUID.randomUUID();
        token = MockApns.randomToken();
        apns.registerDevice(deviceId, token, APP);
    }

    /** The mock's server and certificate, signed with {@code keyFile}, and {@code more} settings. */
    private static ApnsConfig config(Path keyFile, String... more) {
        return ApnsConfig.fromEnv(VendorFixtures.env(Stream.concat(Stream.of(ApnsConfig.KEY_FILE, keyFile.toString(),
                ApnsConfig.KEY_ID, apns.keyId(), ApnsConfig.TEAM_ID, apns.teamId(), ApnsConfig.HOST, apns.host(),
                ApnsConfig.PORT, Integer.toString(apns.port()), ApnsConfig.TRUST_CERT_FILE,
                apns.trustCertFile().toString()), Stream.of(more)).toArray(String[]::new))).orElseThrow();
    }

    @Test
    void channel_isApns() {
        assertEquals(Channel.APNS, channel.channel());
    }

    @Test
    void send_registeredToken_deliversOnceWithCollapseId() {
        Delivery d = delivery(token, false, "hello", "collapse-1");

        assertInstanceOf(SendOutcome.Delivered.class, send(d));
        assertEquals(1, apns.ledger().requests(d.messageId(), deviceId));
        assertEquals(1, apns.ledger().shown(d.messageId(), deviceId));

        // The same collapse id again replaces the shown notification: proves the header reached APNs.
        assertInstanceOf(SendOutcome.Delivered.class, send(d));
        assertEquals(2, apns.ledger().requests(d.messageId(), deviceId));
        assertEquals(1, apns.ledger().shown(d.messageId(), deviceId));
    }

    @Test
    void send_callToAPushKitToken_goesAsVoipOnTheVoipTopic() throws Exception {
        String voipToken = MockApns.randomToken();
        apns.registerDevice(deviceId + ".voip", voipToken, APP + ".voip");
        apns.ledger().keepPayloads();
        Notification call = new Notification("Alice", "Incoming audio call", null, "default", "call:c-1", null,
                Priority.HIGH, false, Map.of("callId", "c-1", "callAction", "invite"), false, null, false, true);
        PushJob job = PushJob.of("c-1", "u-1", null, call,
                List.of(new PushTarget(deviceId + ".voip", Channel.APNS, voipToken, APP, false, null, true)), NOW, null);

        // the mock refuses a voip push off the .voip topic, and an alert push on it (InvalidPushType)
        assertInstanceOf(SendOutcome.Delivered.class, send(new Delivery(job, job.targets().getFirst())));
        var payload = Json.mapper().readTree(apns.ledger().payload("c-1", deviceId + ".voip").orElseThrow());
        assertEquals(0, payload.path("aps").size(), "PushKit: no alert; the app reports the call to CallKit");
        assertEquals("c-1", payload.path("callId").asText());
        assertEquals("invite", payload.path("callAction").asText());
    }

    @Test
    void send_withoutCollapseId_showsEachRequest() {
        Delivery d = delivery(token, false, "hello", null);

        send(d);
        send(d);

        assertEquals(2, apns.ledger().shown(d.messageId(), deviceId));
    }

    @Test
    void send_sandboxTarget_isDelivered() {
        Delivery d = delivery(token, true, "hello", "c");

        assertInstanceOf(SendOutcome.Delivered.class, send(d));
        assertEquals(1, apns.ledger().requests(d.messageId(), deviceId));
    }

    @Test
    void send_unregisteredToken_reportsInvalidTokenWithApnsTimestamp() {
        Instant expiredAt = Instant.parse("2026-02-01T08:30:00.123Z");
        apns.expireToken(token, expiredAt);

        SendOutcome outcome = send(delivery(token, false, "hello", "c"));

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, outcome);
        assertEquals(expiredAt, invalid.invalidatedAt());
        assertEquals("Unregistered", invalid.reason());
    }

    @Test
    void send_unknownToken_reportsInvalidTokenAtClockNow() {
        SendOutcome outcome = send(delivery(MockApns.randomToken(), false, "hello", "c"));

        SendOutcome.InvalidToken invalid = assertInstanceOf(SendOutcome.InvalidToken.class, outcome);
        assertEquals("DeviceTokenNotForTopic", invalid.reason());
        assertEquals(NOW, invalid.invalidatedAt());
    }

    @Test
    void send_tokenOfAnotherApp_reportsInvalidToken() {
        Delivery d = delivery(token, false, "hello", "c");
        Delivery otherApp = new Delivery(d.job(), new PushTarget(deviceId, Channel.APNS, token, "dev.impush.other", false));

        assertInstanceOf(SendOutcome.InvalidToken.class, send(otherApp));
    }

    @Test
    void send_malformedToken_reportsInvalidToken() {
        SendOutcome outcome = send(delivery("not-a-token", false, "hello", "c"));

        assertEquals("BadDeviceToken", assertInstanceOf(SendOutcome.InvalidToken.class, outcome).reason());
    }

    @Test
    void send_serviceUnavailable_reportsRetry() {
        assertInjected(RejectionReason.SERVICE_UNAVAILABLE, SendOutcome.Retry.class);
    }

    @Test
    void send_internalServerError_reportsRetry() {
        assertInjected(RejectionReason.INTERNAL_SERVER_ERROR, SendOutcome.Retry.class);
    }

    @Test
    void send_tooManyRequests_reportsRateLimitedUntilNowPlusBackoff() {
        SendOutcome outcome = assertInjected(RejectionReason.TOO_MANY_REQUESTS, SendOutcome.RateLimited.class);

        assertEquals(NOW.plus(BACKOFF), ((SendOutcome.RateLimited) outcome).until());
    }

    @Test
    void send_expiredProviderToken_reportsAuthExpired() {
        assertInjected(RejectionReason.EXPIRED_PROVIDER_TOKEN, SendOutcome.AuthExpired.class);
    }

    @Test
    void send_afterInjectedFailure_deliversAgain() {
        apns.failNext(1, RejectionReason.SERVICE_UNAVAILABLE);
        Delivery d = delivery(token, false, "hello", "c");

        assertInstanceOf(SendOutcome.Retry.class, send(d));
        assertInstanceOf(SendOutcome.Delivered.class, send(d));
        assertEquals(1, apns.ledger().requests(d.messageId(), deviceId));
    }

    @Test
    void send_tenKilobyteBody_isTrimmedAndDelivered() {
        Delivery d = delivery(token, false, "界".repeat(10 * 1024 / 3) + "x".repeat(100), "c");
        long tooLargeBefore = apns.rejected(RejectionReason.PAYLOAD_TOO_LARGE);

        assertInstanceOf(SendOutcome.Delivered.class, send(d));
        assertEquals(1, apns.ledger().requests(d.messageId(), deviceId));
        assertEquals(tooLargeBefore, apns.rejected(RejectionReason.PAYLOAD_TOO_LARGE));
    }

    @Test
    void send_oversizedCustomData_isRejectedWithoutCallingApns() {
        Delivery d = delivery(token, false, "hello", "c", Map.of("blob", "z".repeat(5000)));

        SendOutcome outcome = send(d);

        assertEquals("PayloadTooLarge", assertInstanceOf(SendOutcome.Rejected.class, outcome).reason());
        assertEquals(0, apns.ledger().requests(d.messageId(), deviceId));
    }

    @Test
    void send_silentNotification_isDelivered() {
        PushJob job = job(new Notification(null, null, null, null, "c", null, Priority.NORMAL, true, Map.of()), token, false);

        assertInstanceOf(SendOutcome.Delivered.class, channel.send(new Delivery(job, job.targets().getFirst())).join());
        assertEquals(1, apns.ledger().requests(job.messageId(), deviceId));
    }

    @Test
    void send_tokenSignedWithAnotherKey_isRejectedAsInvalidProviderToken(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        Path otherKey = Files.writeString(dir.resolve("AuthKey_other.p8"), "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        ApnsConfig config = config(otherKey);
        long before = apns.rejected(RejectionReason.INVALID_PROVIDER_TOKEN);
        Delivery d = delivery(token, false, "hello", "c");

        try (ApnsChannel forged = ApnsChannel.create(config, Clock.fixed(NOW, ZoneOffset.UTC))) {
            SendOutcome outcome = forged.send(d).join();

            assertEquals("InvalidProviderToken", assertInstanceOf(SendOutcome.Rejected.class, outcome).reason());
        }
        assertEquals(before + 1, apns.rejected(RejectionReason.INVALID_PROVIDER_TOKEN));
        assertEquals(0, apns.ledger().requests(d.messageId(), deviceId));
    }

    @Test
    void create_unreadableKey_failsNamingTheVariable(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("AuthKey.p8"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        ApnsConfig config = ApnsConfig.of(bogus, "ABCDEFGHIJ", "KLMNOPQRST");

        ConfigException e = assertThrows(ConfigException.class, () -> ApnsChannel.create(config, Clock.systemUTC()));
        assertTrue(e.getMessage().contains(ApnsConfig.KEY_FILE), e.getMessage());
    }

    @Test
    void headers_followPriorityAndSilence() {
        Notification high = notification("b", "c", Priority.HIGH, false, Map.of());
        Notification normal = notification("b", "c", Priority.NORMAL, false, Map.of());
        Notification silentHigh = notification("b", "c", Priority.HIGH, true, Map.of());

        assertEquals(DeliveryPriority.IMMEDIATE, ApnsChannel.priority(high));
        assertEquals(DeliveryPriority.CONSERVE_POWER, ApnsChannel.priority(normal));
        assertEquals(DeliveryPriority.CONSERVE_POWER, ApnsChannel.priority(silentHigh));
        assertEquals(PushType.ALERT, ApnsChannel.pushType(high));
        assertEquals(PushType.BACKGROUND, ApnsChannel.pushType(silentHigh));
    }

    @Test
    void collapseId_over64Bytes_isHashedTo64HexChars() {
        String shortId = "m-" + "é".repeat(31); // 64 UTF-8 bytes: kept
        String longId = "m-" + "é".repeat(32);  // 66 bytes: hashed

        assertEquals(shortId, ApnsChannel.collapseId(shortId));
        String hashed = ApnsChannel.collapseId(longId);
        assertEquals(64, hashed.length());
        assertTrue(hashed.matches("[0-9a-f]{64}"), hashed);
        assertEquals(hashed, ApnsChannel.collapseId(longId));
        assertNull(ApnsChannel.collapseId(null));
    }

    private SendOutcome assertInjected(RejectionReason reason, Class<? extends SendOutcome> expected) {
        long before = apns.rejected(reason);
        apns.failNext(1, reason);
        Delivery d = delivery(token, false, "hello", "c");

        SendOutcome outcome = send(d);

        assertInstanceOf(expected, outcome);
        assertEquals(before + 1, apns.rejected(reason));
        assertEquals(0, apns.ledger().requests(d.messageId(), deviceId));
        return outcome;
    }

    private Delivery delivery(String deviceToken, boolean sandbox, String body, String collapseId) {
        return delivery(deviceToken, sandbox, body, collapseId, Map.of());
    }

    private Delivery delivery(String deviceToken, boolean sandbox, String body, String collapseId,
                              Map<String, String> data) {
        PushJob job = job(notification(body, collapseId, Priority.HIGH, false, data), deviceToken, sandbox);
        return new Delivery(job, job.targets().getFirst());
    }

    private PushJob job(Notification n, String deviceToken, boolean sandbox) {
        return PushJob.of("m-" + UUID.randomUUID(), "u-1", "c-1", n,
                List.of(new PushTarget(deviceId, Channel.APNS, deviceToken, APP, sandbox)),
                NOW, NOW.plus(1, ChronoUnit.HOURS));
    }

    private static Notification notification(String body, String collapseId, Priority priority, boolean silent,
                                             Map<String, String> data) {
        return new Notification("Alice", body, 3, "default", collapseId, "c-1", priority, silent, data);
    }

    /**
     * Sends and waits. A connection the mock closed after an injected 5xx (GOAWAY) fails the next
     * request with an IOException, which the dispatcher treats as Retry; the test sends once more
     * so it checks the vendor-answer mapping, not Netty's reconnect timing.
     */
    private SendOutcome send(Delivery d) {
        try {
            return channel.send(d).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.io.IOException) {
                return channel.send(d).join();
            }
            throw e;
        }
    }

    @Test
    void connectionsAreSpreadOverOneEventLoopPerCoreAtMost() {
        assertEquals(2, ApnsChannel.shardCount(4, 2));
        assertEquals(1, ApnsChannel.shardCount(1, 8));
        assertEquals(3, ApnsChannel.shardCount(3, 8));
        int[] split = new int[3];
        for (int i = 0; i < 3; i++) {
            split[i] = ApnsChannel.connectionsOfShard(7, 3, i);
        }
        assertArrayEquals(new int[] {3, 2, 2}, split);
    }
}
