package dev.impush.localstack.apns;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.MockApnsServerListener;
import com.eatthepath.pushy.apns.server.RejectionReason;
import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.MockNetwork;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A local APNs: Pushy's {@link MockApnsServer} over TLS on {@link MockNetwork#host()}, on an ephemeral port, with
 * fresh throw-away credentials (a self-signed server certificate and an ES256 signing key whose
 * provider tokens it verifies) and APNs' rules for tokens, topics and payload size.
 *
 * <p>Rules, in the order they are applied: an injected failure ({@link #failNext}); missing provider
 * token → 403 {@code MissingProviderToken}; a token not signed by {@link #signingKeyFile()} with
 * {@link #keyId()} / {@link #teamId()} (or by a team {@linkplain #addTeam added}) → 403
 * {@code InvalidProviderToken}; older than an hour → 403 {@code ExpiredProviderToken}; a topic the
 * token's team does not own → 400 {@code TopicDisallowed}; a device token that is not 64 hex digits → 400 {@code BadDeviceToken};
 * an expired token ({@link #expireToken}) → 410 {@code Unregistered} with its timestamp; an unknown
 * token, or a known one on another topic → 400 {@code DeviceTokenNotForTopic}; a collapse id over 64
 * bytes → 400 {@code BadCollapseId}; payload over 4096 bytes → 413 {@code PayloadTooLarge}. Accepted
 * notifications go to the {@link #ledger()} as {@code ("apns", payload "messageId", registered device
 * id, apns-collapse-id)}.
 *
 * <p>Lifecycle: {@link #start()} returns a running server; {@link #close()} stops it, waits, and
 * deletes its temp files. Thread-safe.
 */
public final class MockApns implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MockCredentials credentials;
    private final EventLoopGroup group;
    private final MockApnsServer server;
    private final MockApnsHandler handler;
    private final DeliveryLedger ledger;
    private final Map<RejectionReason, LongAdder> rejections;
    private final int port;

    private MockApns(MockCredentials credentials, EventLoopGroup group, MockApnsServer server, MockApnsHandler handler,
                     DeliveryLedger ledger, Map<RejectionReason, LongAdder> rejections, int port) {
        this.credentials = credentials;
        this.group = group;
        this.server = server;
        this.handler = handler;
        this.ledger = ledger;
        this.rejections = rejections;
        this.port = port;
    }

    /** Generates credentials and starts the server; takes well under a second. */
    public static MockApns start() {
        return start(Clock.systemUTC());
    }

    /**
     * @param clock judges the age of provider tokens; Pushy stamps them with the system clock, so a
     *              test pins it only to provoke {@code ExpiredProviderToken}
     */
    public static MockApns start(Clock clock) {
        return start(clock, 1);
    }

    /**
     * @param eventLoops server threads: one is plenty for tests; a benchmark gives the vendor as many
     *                   as the machine has cores, as a real vendor is not single-threaded
     */
    public static MockApns start(Clock clock, int eventLoops) {
        MockCredentials credentials;
        try {
            credentials = MockCredentials.generate();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create mock APNs credentials", e);
        }
        DeliveryLedger ledger = new DeliveryLedger();
        Map<RejectionReason, LongAdder> rejections = new ConcurrentHashMap<>();
        @SuppressWarnings("deprecation") // Pushy recognises NioEventLoopGroup by class name
        EventLoopGroup group = new NioEventLoopGroup(eventLoops);
        try {
            MockApnsHandler handler = new MockApnsHandler(
                    new ApnsVerificationKey(credentials.keyId, credentials.teamId,
                            (ECPublicKey) credentials.signingKeys.getPublic()), clock, ledger);
            MockApnsServer server = new MockApnsServerBuilder()
                    .setServerCredentials(new X509Certificate[] {credentials.serverCertificate},
                            credentials.serverKeys.getPrivate(), null)
                    .setEventLoopGroup(group)
                    .setHandlerFactory(sslSession -> handler)
                    .setListener(new RejectionCounter(rejections))
                    .build();
            int port = server.start(0).get(10, TimeUnit.SECONDS);
            return new MockApns(credentials, group, server, handler, ledger, rejections, port);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            credentials.delete();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the mock APNs server", e);
        }
    }

    /** A random valid-looking device token: 64 lower-case hex digits. */
    public static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public String host() {
        return MockNetwork.host();
    }

    public int port() {
        return port;
    }

    /** PEM of the self-signed server certificate, for the client to trust. */
    public Path trustCertFile() {
        return credentials.serverCertificateFile;
    }

    /** PKCS#8 PEM ({@code .p8}) of the ES256 key the client signs provider tokens with. */
    public Path signingKeyFile() {
        return credentials.signingKeyFile;
    }

    public String keyId() {
        return credentials.keyId;
    }

    public String teamId() {
        return credentials.teamId;
    }

    /** Another Apple developer team's signing key: its .p8 file, key id and team id. */
    public record Team(Path signingKeyFile, String keyId, String teamId) {}

    /**
     * A second Apple developer team that owns {@code topics} (bundle ids), as when one company's apps
     * belong to different teams: from now on a push to one of them must be signed with this team's
     * key, and the first team's ({@link #signingKeyFile()}) gets 400 {@code TopicDisallowed} there,
     * as this team's key does on any other topic.
     */
    public Team addTeam(String... topics) {
        try {
            MockCredentials.Team t = credentials.newTeam();
            handler.addTeam(new ApnsVerificationKey(t.keyId(), t.teamId(), (ECPublicKey) t.keys().getPublic()),
                    Set.of(topics));
            return new Team(t.keyFile(), t.keyId(), t.teamId());
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a mock APNs team", e);
        }
    }

    /**
     * Makes {@code token} valid for the app {@code topic} (its bundle id); the ledger records its
     * notifications under {@code deviceId}. Re-registering an expired token revives it.
     */
    public void registerDevice(String deviceId, String token, String topic) {
        handler.register(Objects.requireNonNull(token, "token"),
                new MockApnsHandler.Device(Objects.requireNonNull(deviceId, "deviceId"), Objects.requireNonNull(topic, "topic")));
    }

    /** From now on {@code token} gets 410 {@code Unregistered} with timestamp {@code at} (when it stopped being valid). */
    public void expireToken(String token, Instant at) {
        handler.expire(Objects.requireNonNull(token, "token"), Objects.requireNonNull(at, "at"));
    }

    /**
     * The next {@code count} requests, whatever they carry, are refused with {@code reason} (its own
     * status: 429, 500, 503, 403 …). Replaces any earlier injection; {@code 0} cancels it.
     */
    public void failNext(int count, RejectionReason reason) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        handler.inject(count, Objects.requireNonNull(reason, "reason"));
    }

    /** Every accepted notification; the mock never clears it on its own. */
    public DeliveryLedger ledger() {
        return ledger;
    }

    /** Requests refused with {@code reason} so far (injected failures included). */
    public long rejected(RejectionReason reason) {
        LongAdder n = rejections.get(reason);
        return n == null ? 0 : n.sum();
    }

    /** A snapshot of {@link #rejected(RejectionReason)} for every reason seen. */
    public Map<RejectionReason, Long> rejectedByReason() {
        Map<RejectionReason, Long> copy = new EnumMap<>(RejectionReason.class);
        rejections.forEach((reason, n) -> copy.put(reason, n.sum()));
        return copy;
    }

    /** Stops the server, waits for its event loop (≤ ~1 s) and deletes the temp files. */
    @Override
    public void close() {
        try {
            server.shutdown().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // shutting down anyway
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            credentials.delete();
        }
    }

    /** Counts rejections by reason; Pushy calls it on the event loop after each answer. */
    private record RejectionCounter(Map<RejectionReason, LongAdder> counts) implements MockApnsServerListener {
        @Override
        public void handlePushNotificationAccepted(Http2Headers headers, ByteBuf payload) {
            // accepted notifications are recorded by the handler, before the answer is flushed
        }

        @Override
        public void handlePushNotificationRejected(Http2Headers headers, ByteBuf payload, RejectionReason reason,
                                                   Instant deviceTokenExpirationTimestamp) {
            counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }
    }
}
