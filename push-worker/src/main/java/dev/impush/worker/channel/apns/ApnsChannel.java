package dev.impush.worker.channel.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.Tokens;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushTarget;
import dev.impush.runtime.ConfigException;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.channel.http.Digests;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apple push through Pushy with token (.p8) authentication.
 *
 * <p>Lifecycle: {@link #create} loads the key and builds {@link ApnsShard shards}: one event loop
 * thread each (as many as connections, at most one per core), each with a long-lived production and
 * sandbox client (chosen per target by {@link PushTarget#sandbox()}) holding its share of the
 * connections; they connect on first use. Sends go to the shards in turn. {@link #close()} closes
 * every client (letting in-flight notifications finish), then shuts the loops down and waits.
 *
 * <p>Threading: {@link #send} is thread-safe and does not block. Pushy queues without limit, so the
 * caller bounds what is in flight. Pushy does not retry rejected notifications; an IO failure or a
 * closed client completes the future exceptionally (the caller maps that to {@code Retry}).
 */
public final class ApnsChannel implements PushChannel {
    private static final Logger log = LoggerFactory.getLogger(ApnsChannel.class);

    /** Apple's limit on {@code apns-collapse-id}. */
    static final int MAX_COLLAPSE_ID_BYTES = 64;
    /** When a job has no expiry: Pushy's own default (Apple stores an undelivered notification this long). */
    static final Duration DEFAULT_EXPIRATION = SimpleApnsPushNotification.DEFAULT_EXPIRATION_PERIOD;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final List<ApnsShard> shards;
    private final AtomicInteger nextShard = new AtomicInteger();
    private final ApnsResponses responses;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ApnsChannel(List<ApnsShard> shards, ApnsResponses responses, Clock clock) {
        this.shards = List.copyOf(shards);
        this.responses = responses;
        this.clock = clock;
    }

    /**
     * Loads the signing key and builds both clients (no connection is made yet).
     *
     * @throws ConfigException when the key or the trusted certificate cannot be used; the message names
     *                         the variable and the file, never the key material
     */
    public static ApnsChannel create(ApnsConfig config, Clock clock) {
        ApnsSigningKey key = loadKey(config);
        int loops = shardCount(config.concurrentConnections(), Runtime.getRuntime().availableProcessors());
        List<ApnsShard> shards = new ArrayList<>(loops);
        try {
            for (int i = 0; i < loops; i++) {
                int connections = connectionsOfShard(config.concurrentConnections(), loops, i);
                // Pushy maps event loop groups to channel classes by class name and knows NioEventLoopGroup,
                // not Netty 4.2's MultiThreadIoEventLoopGroup.
                @SuppressWarnings("deprecation")
                EventLoopGroup group = new NioEventLoopGroup(1);
                try {
                    shards.add(new ApnsShard(group, sandbox -> client(config, key, group, sandbox, connections)));
                } catch (RuntimeException e) {
                    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                    throw e;
                }
            }
        } catch (RuntimeException e) {
            closeAll(shards);
            throw e;
        }
        log.info("APNs channel ready: production {}:{}, sandbox {}:{}, key id {}, team {}, {} connection(s) each on {} event loop(s)",
                config.host(false), config.port(), config.host(true), config.port(), config.keyId(),
                config.teamId(), config.concurrentConnections(), loops);
        return new ApnsChannel(shards, new ApnsResponses(clock, config.rateLimitBackoff()), clock);
    }

    /** One event loop per connection, at most one per core. */
    public static int shardCount(int connections, int cores) {
        return Math.max(1, Math.min(connections, cores));
    }

    /** Connections split as evenly as they go: the first {@code connections % shards} shards get one more. */
    public static int connectionsOfShard(int connections, int shards, int index) {
        return connections / shards + (index < connections % shards ? 1 : 0);
    }

    @Override
    public Channel channel() {
        return Channel.APNS;
    }

    @Override
    public CompletableFuture<SendOutcome> send(Delivery delivery) {
        try {
            Notification n = delivery.notification();
            PushTarget target = delivery.target();
            ApnsPayload payload = target.voip() ? ApnsPayload.voip(n, delivery.messageId())
                    : ApnsPayload.of(n, delivery.messageId());
            if (!payload.fits()) {
                // Only custom data can make it too large (the text is trimmed): Apple would answer 413.
                log.warn("APNs payload of message {} is {} bytes after trimming the text (limit {}): custom data too large",
                        delivery.messageId(), payload.bytes(), payload.limit());
                return CompletableFuture.completedFuture(new SendOutcome.Rejected("PayloadTooLarge"));
            }
            // A PushKit push goes to <bundle>.voip, now (priority 10) or never (expiration 0: a call rings or not)
            SimpleApnsPushNotification notification = target.voip()
                    ? new SimpleApnsPushNotification(target.token(), target.appId() + VOIP_TOPIC_SUFFIX, payload.json(),
                            null, DeliveryPriority.IMMEDIATE, PushType.VOIP, collapseId(n.collapseId()))
                    : new SimpleApnsPushNotification(target.token(), target.appId(), payload.json(), expiration(delivery),
                            priority(n), pushType(n), collapseId(n.collapseId()));
            ApnsShard shard = shards.get(Math.floorMod(nextShard.getAndIncrement(), shards.size()));
            return shard.send(notification, target.sandbox()).thenApply(response -> {
                SendOutcome outcome = responses.outcome(response);
                if (!(outcome instanceof SendOutcome.Delivered)) {
                    log.debug("APNs answered {} {} for {} (topic {}, sandbox {}): {}", response.getStatusCode(),
                            response.getRejectionReason().orElse(""), Tokens.mask(target.token()), target.appId(),
                            target.sandbox(), outcome.label());
                }
                return outcome;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Idempotent; waits for every client and event loop to stop. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeAll(shards);
        }
    }

    private static void closeAll(List<ApnsShard> shards) {
        try {
            CompletableFuture.allOf(shards.stream().map(ApnsShard::closeClients).toArray(CompletableFuture[]::new))
                    .get(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("APNs clients did not close cleanly: {}", e.toString());
        } finally {
            for (ApnsShard shard : shards) {
                shard.group().shutdownGracefully(0, 1, TimeUnit.SECONDS)
                        .awaitUninterruptibly(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Apple's topic of an app's PushKit (VoIP) pushes: its bundle id with this suffix. */
    static final String VOIP_TOPIC_SUFFIX = ".voip";

    /** High wakes the device now (10); normal and every background push go power-aware (5), as Apple requires. */
    static DeliveryPriority priority(Notification n) {
        return n.silent() || n.priority() == Priority.NORMAL ? DeliveryPriority.CONSERVE_POWER : DeliveryPriority.IMMEDIATE;
    }

    static PushType pushType(Notification n) {
        return n.silent() ? PushType.BACKGROUND : PushType.ALERT;
    }

    /**
     * The {@code apns-collapse-id} header: the notification's collapse id when it fits Apple's 64 bytes,
     * else the hex SHA-256 of it (exactly 64 ASCII bytes, still stable per id); {@code null} for none.
     */
    static String collapseId(String id) {
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (id.getBytes(StandardCharsets.UTF_8).length <= MAX_COLLAPSE_ID_BYTES) {
            return id;
        }
        return Digests.sha256Hex(id).substring(0, MAX_COLLAPSE_ID_BYTES);
    }

    private Instant expiration(Delivery delivery) {
        // Pushy sends a null expiration as 0 ("deliver now or never"): an offline user needs it stored.
        return delivery.expiresAt() != null ? delivery.expiresAt() : clock.instant().plus(DEFAULT_EXPIRATION);
    }

    private static ApnsSigningKey loadKey(ApnsConfig config) {
        try {
            return ApnsSigningKey.loadFromPkcs8File(config.signingKeyFile().toFile(), config.teamId(), config.keyId());
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // The exception text is about the file's format, never its content.
            throw new ConfigException(ApnsConfig.KEY_FILE + "=" + config.signingKeyFile()
                    + " is not a usable APNs signing key (PKCS#8 PEM .p8 with an EC P-256 key): "
                    + e.getClass().getSimpleName());
        }
    }

    private static ApnsClient client(ApnsConfig config, ApnsSigningKey key, EventLoopGroup group, boolean sandbox,
                                     int connections) {
        ApnsClientBuilder builder = new ApnsClientBuilder()
                .setApnsServer(config.host(sandbox), config.port())
                .setSigningKey(key)
                .setEventLoopGroup(group)
                .setConcurrentConnections(connections);
        config.trustedServerCertificateFile().ifPresent(f -> builder.setTrustedServerCertificateChain(f.toFile()));
        try {
            return builder.build();
        } catch (IOException | RuntimeException e) {
            String what = config.trustedServerCertificateFile()
                    .map(f -> ApnsConfig.TRUST_CERT_FILE + "=" + f + " or the TLS setup")
                    .orElse("the TLS setup");
            throw new ConfigException("cannot build the APNs client (" + what + "): " + e.getMessage());
        }
    }
}
