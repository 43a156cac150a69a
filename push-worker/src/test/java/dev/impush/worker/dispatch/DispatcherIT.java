package dev.impush.worker.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.Channel;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.quota.QuotaGate;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a send reports after its retries: the attempts that did not deliver, and only those. */
class DispatcherIT {
    private static RedisServerProcess redis;
    private static RedisClient client;
    private static ScheduledExecutorService scheduler;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.start();
        client = RedisClient.create(redis.uri());
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void stop() {
        scheduler.shutdownNow();
        client.shutdown();
        redis.close();
    }

    @Test
    void aRetriedDeliveryReportsTheFailedAttemptOnly() throws Exception {
        SendResult r = send(SendOutcome.retry("503 busy"), new SendOutcome.Delivered());
        assertInstanceOf(SendOutcome.Delivered.class, r.outcome());
        assertEquals(1, r.attempts().size());
        assertEquals("503 busy", r.attempts().getFirst().detail());
        assertEquals("d1", r.attempts().getFirst().deviceId());
    }

    @Test
    void exhaustedRetriesReportEveryAttempt() throws Exception {
        SendResult r = send(SendOutcome.retry("a"), SendOutcome.retry("b"), SendOutcome.retry("c"));
        assertInstanceOf(SendOutcome.Retry.class, r.outcome());
        assertEquals(List.of("a", "b", "c"), r.attempts().stream().map(a -> a.detail()).toList());
    }

    @Test
    void aFirstTimeDeliveryReportsNone() throws Exception {
        SendResult r = send(new SendOutcome.Delivered());
        assertInstanceOf(SendOutcome.Delivered.class, r.outcome());
        assertEquals(List.of(), r.attempts());
    }

    private static SendResult send(SendOutcome... answers) throws Exception {
        Deque<SendOutcome> script = new ArrayDeque<>(List.of(answers));
        PushChannel channel = new PushChannel() {
            @Override
            public Channel channel() {
                return Channel.APNS;
            }

            @Override
            public CompletableFuture<SendOutcome> send(Delivery delivery) {
                return CompletableFuture.completedFuture(script.removeFirst());
            }

            @Override
            public void close() {}
        };
        ResilienceSettings settings = new ResilienceSettings(3, Duration.ofMillis(1), Duration.ofMillis(5), 50, 100,
                Duration.ofSeconds(30));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (QuotaGate quota = new QuotaGate(client, Map.of(), scheduler, Clock.systemUTC());
             Dispatcher dispatcher = new Dispatcher(Map.of(Channel.APNS, channel), new ChannelResilience(settings, meters),
                     quota, scheduler, new WorkerMetrics(meters), Clock.systemUTC())) {
            Instant now = Instant.now();
            PushJob job = PushJob.of("m1", "u1", "c1", new Notification("T", "B", null, null, null, null, null, false, null),
                    List.of(new PushTarget("d1", Channel.APNS, "tok", "app", false)), now, now.plusSeconds(60));
            return dispatcher.send(new Delivery(job, job.targets().getFirst())).get(10, TimeUnit.SECONDS);
        }
    }
}
