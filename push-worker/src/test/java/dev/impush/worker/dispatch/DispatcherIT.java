package dev.impush.worker.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.LocalRedis;
import dev.impush.worker.channel.Channels;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.quota.QuotaGate;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a send reports after its retries: the attempts that did not deliver, and only those. */
class DispatcherIT {
    @RegisterExtension
    static final LocalRedis REDIS = new LocalRedis();

    @Test
    void aRetriedDeliveryReportsTheFailedAttemptOnly() throws Exception {
        SendResult r = send(SendOutcome.retry("503 busy"), new SendOutcome.Delivered()).result();
        assertInstanceOf(SendOutcome.Delivered.class, r.outcome());
        assertEquals(1, r.attempts().size());
        assertEquals("503 busy", r.attempts().getFirst().detail());
        assertEquals("d1", r.attempts().getFirst().deviceId());
    }

    @Test
    void exhaustedRetriesReportEveryAttempt() throws Exception {
        SendResult r = send(SendOutcome.retry("a"), SendOutcome.retry("b"), SendOutcome.retry("c")).result();
        assertInstanceOf(SendOutcome.Retry.class, r.outcome());
        assertEquals(List.of("a", "b", "c"), r.attempts().stream().map(a -> a.detail()).toList());
    }

    @Test
    void aFirstTimeDeliveryReportsNoneAndIsCounted() throws Exception {
        Sent sent = send(new SendOutcome.Delivered());
        assertInstanceOf(SendOutcome.Delivered.class, sent.result().outcome());
        assertEquals(List.of(), sent.result().attempts());
        assertEquals(1.0, sent.meters().get(WorkerMetrics.SENDS).tags("channel", "apns", "outcome", "delivered")
                .counter().count());
        assertEquals(1L, sent.meters().get(WorkerMetrics.SEND_LATENCY).tags("channel", "apns").timer().count());
        assertEquals(1.0, sent.meters().get("resilience4j.retry.calls").tags("kind", "successful_without_retry")
                .functionCounter().count());
        assertEquals(1.0, sent.meters().get("resilience4j.circuitbreaker.buffered.calls").tags("kind", "successful")
                .gauge().value());
        assertEquals(1.0, sent.meters().get("resilience4j.circuitbreaker.state").tags("state", "closed")
                .gauge().value());
        assertEquals(0.0, sent.meters().get("resilience4j.circuitbreaker.state").tags("state", "open")
                .gauge().value());
    }

    @Test
    void expiredCredentialsAreResentOnceWithinTheAttempt() throws Exception {
        Sent once = send(new SendOutcome.AuthExpired("ExpiredProviderToken"), new SendOutcome.Delivered());
        assertInstanceOf(SendOutcome.Delivered.class, once.result().outcome());
        assertEquals(List.of("auth-expired"), once.result().attempts().stream().map(a -> a.outcome()).toList());

        // refused again after the refresh: not a transient failure, so no retry either
        Sent twice = send(new SendOutcome.AuthExpired("a"), new SendOutcome.AuthExpired("b"), new SendOutcome.Delivered());
        assertInstanceOf(SendOutcome.AuthExpired.class, twice.result().outcome());
        assertEquals(List.of("a", "b"), twice.result().attempts().stream().map(a -> a.detail()).toList());
        assertEquals(1, twice.unanswered());
    }

    @Test
    void transportFailuresBecomeRetriesAndFeedTheBreaker() throws Exception {
        Sent sent = send(new java.io.IOException("connection reset"), new IllegalStateException("closed"),
                new SendOutcome.Delivered());
        assertInstanceOf(SendOutcome.Delivered.class, sent.result().outcome());
        assertEquals(List.of("transport: IOException: connection reset", "transport: IllegalStateException: closed"),
                sent.result().attempts().stream().map(a -> a.detail()).toList());
        assertEquals(2.0, sent.meters().get("resilience4j.circuitbreaker.buffered.calls").tags("kind", "failed")
                .gauge().value());
    }

    /**
     * A send's result, the meters it recorded, and how many scripted answers were never asked for.
     * Holds the retry and breaker instances too: their meters observe them through weak references
     * and read 0 or NaN once they are collected.
     */
    private record Sent(SendResult result, SimpleMeterRegistry meters, int unanswered, ChannelResilience resilience) {}

    /**
     * Sends one delivery to a channel that answers from {@code script}, in order: a
     * {@link SendOutcome}, an {@link Exception} (a failed future) or a {@link RuntimeException}
     * thrown by the call itself ({@link IllegalStateException}).
     */
    private static Sent send(Object... script) throws Exception {
        Deque<Object> answers = new ArrayDeque<>(List.of(script));
        PushChannel channel = new PushChannel() {
            @Override
            public Channel channel() {
                return Channel.APNS;
            }

            @Override
            public CompletableFuture<SendOutcome> send(Delivery delivery) {
                return switch (answers.removeFirst()) {
                    case SendOutcome o -> CompletableFuture.completedFuture(o);
                    case IllegalStateException thrown -> throw thrown;
                    case Exception failed -> CompletableFuture.failedFuture(failed);
                    default -> throw new AssertionError();
                };
            }

            @Override
            public void close() {}
        };
        ResilienceSettings settings = new ResilienceSettings(3, Duration.ofMillis(1), Duration.ofMillis(5), 50, 100,
                Duration.ofSeconds(30), 0);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ChannelResilience resilience = new ChannelResilience(settings, meters);
        try (QuotaGate quota = new QuotaGate(REDIS.link(), Map.of(), REDIS.scheduler(), Clock.systemUTC());
             Dispatcher dispatcher = new Dispatcher(Channels.of(Map.of(Channel.APNS, channel)), resilience,
                     quota, REDIS.scheduler(), new WorkerMetrics(meters), Clock.systemUTC())) {
            Instant now = Instant.now();
            PushJob job = PushJob.of("m1", "u1", "c1", new Notification("T", "B", null, null, null, null, null, false, null),
                    List.of(new PushTarget("d1", Channel.APNS, "tok", "app", false)), now, now.plusSeconds(60));
            SendResult result = dispatcher.send(new Delivery(job, job.targets().getFirst())).get(10, TimeUnit.SECONDS);
            return new Sent(result, meters, answers.size(), resilience);
        }
    }
}
