package dev.impush.worker.channel.fcm;

import com.google.api.client.json.gson.GsonFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.ThreadManager;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FCM HTTP v1 through the Firebase Admin SDK.
 *
 * <p>Threading: {@link #send} never blocks its caller. Each send runs the SDK's blocking
 * {@code FirebaseMessaging.send} on its own virtual thread; at most {@link FcmConfig#maxConcurrency()}
 * are in flight, the rest wait for a permit (on their virtual thread, not a platform thread).
 *
 * <p>Retries: none here, and none in the SDK either: the SDK's built-in retry (503 only) is
 * neutralised by {@link JdkHttpTransport}, so every answer comes back at once and the worker's own
 * retry tiers decide. An IO failure completes the future with a {@link SendOutcome.Retry} or
 * exceptionally, which the caller also treats as retry.
 *
 * <p>Lifecycle: the channel owns a {@link FirebaseApp} with a unique name, its HTTP client and its
 * executor. {@link #close()} refuses new sends, waits for those in flight, then deletes the app.
 */
public final class FcmChannel implements PushChannel {
    private static final Logger log = LoggerFactory.getLogger(FcmChannel.class);

    private final FcmConfig config;
    private final Clock clock;
    private final FcmMessageRenderer renderer;
    private final JdkHttpTransport transport;
    private final FirebaseApp app;
    private final FirebaseMessaging messaging;
    private final ExecutorService sends = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("fcm-send-", 0).factory());
    private final Semaphore inFlight;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FcmChannel(FcmConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.renderer = new FcmMessageRenderer(clock);
        this.inFlight = new Semaphore(config.maxConcurrency());
        this.transport = new JdkHttpTransport(config.baseUrl(), config.requestTimeout());
        int timeoutMs = Math.toIntExact(config.requestTimeout().toMillis());
        FirebaseOptions options = FirebaseOptions.builder()
                .setProjectId(config.projectId())
                .setCredentials(credentials(config.credentials(), transport))
                .setHttpTransport(transport)
                // firebase-admin < 9.12 has no working default without google-cloud-* on the path
                .setJsonFactory(GsonFactory.getDefaultInstance())
                .setThreadManager(new VirtualThreadManager())
                .setConnectTimeout(timeoutMs)
                .setReadTimeout(timeoutMs)
                .setWriteTimeout(timeoutMs)
                .build();
        this.app = FirebaseApp.initializeApp(options, "impush-fcm-" + UUID.randomUUID());
        this.messaging = FirebaseMessaging.getInstance(app);
    }

    /**
     * Builds the channel; no network call is made until the first send.
     *
     * @throws UncheckedIOException when the service-account file cannot be read
     */
    public static FcmChannel create(FcmConfig config, Clock clock) {
        FcmChannel channel = new FcmChannel(config, clock);
        log.info("FCM channel for project {} via {} (max {} in flight, {} credentials)", config.projectId(),
                config.baseUrl(), config.maxConcurrency(),
                config.credentials() instanceof FcmConfig.StaticAccessToken ? "static-token (test only)" : "service-account");
        return channel;
    }

    @Override
    public Channel channel() {
        return Channel.FCM;
    }

    @Override
    public CompletableFuture<SendOutcome> send(Delivery delivery) {
        CompletableFuture<SendOutcome> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new IllegalStateException("FCM channel is closed"));
            return result;
        }
        try {
            sends.execute(() -> sendNow(delivery, result));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("FCM channel is closed", e));
        }
        return result;
    }

    private void sendNow(Delivery delivery, CompletableFuture<SendOutcome> result) {
        Message message;
        try {
            message = renderer.render(delivery);
        } catch (IllegalArgumentException | NullPointerException e) {
            // the SDK validates fields while building (empty token, bad ttl...): bad input, not a vendor error
            result.complete(new SendOutcome.Rejected("fcm: cannot build message: " + e.getMessage()));
            return;
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            result.completeExceptionally(e);
            return;
        }
        try {
            messaging.send(message);
            result.complete(SendOutcome.DELIVERED);
        } catch (FirebaseMessagingException e) {
            SendOutcome outcome = FcmErrors.map(e, clock.instant(), config.rateLimitBackoff());
            if (log.isDebugEnabled()) {
                log.debug("FCM {} for message {} to {}: {}", outcome.label(), delivery.messageId(),
                        Tokens.mask(delivery.target().token()), outcome);
            }
            result.complete(outcome);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        } finally {
            inFlight.release();
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sends.close(); // waits for sends in flight
        app.delete();
        transport.shutdown();
    }

    private static GoogleCredentials credentials(FcmConfig.Credentials credentials, JdkHttpTransport transport) {
        return switch (credentials) {
            case FcmConfig.StaticAccessToken t -> new StaticTokenCredentials(t.token());
            case FcmConfig.ServiceAccountFile f -> {
                try (InputStream in = Files.newInputStream(f.path())) {
                    // token requests go through the same client (they are not redirected: not FCM's host)
                    yield GoogleCredentials.fromStream(in, () -> transport);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read FCM service account " + f.path(), e);
                }
            }
        };
    }

    /**
     * A fixed token that never expires and cannot be refreshed. Refreshing throws
     * {@link IOException}, so on a 401 the SDK gives up at once and surfaces UNAUTHENTICATED
     * ({@code GoogleCredentials.create(token)} would throw an unchecked IllegalStateException).
     */
    private static final class StaticTokenCredentials extends GoogleCredentials {
        StaticTokenCredentials(String token) {
            super(new AccessToken(token, null));
        }

        @Override
        public AccessToken refreshAccessToken() throws IOException {
            throw new IOException("a static FCM access token cannot be refreshed");
        }

        @Override
        public String toString() {
            return "StaticTokenCredentials[***]";
        }
    }

    /** The SDK's own executors (async APIs, token refresh) on virtual threads, not a platform pool. */
    private static final class VirtualThreadManager extends ThreadManager {
        private static final ThreadFactory FACTORY = Thread.ofVirtual().name("fcm-sdk-", 0).factory();

        @Override
        protected ExecutorService getExecutor(FirebaseApp app) {
            return Executors.newThreadPerTaskExecutor(FACTORY);
        }

        @Override
        protected void releaseExecutor(FirebaseApp app, ExecutorService executor) {
            executor.shutdownNow();
        }

        @Override
        protected ThreadFactory getThreadFactory() {
            return FACTORY;
        }
    }
}
