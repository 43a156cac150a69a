package dev.impush.bench;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import dev.impush.worker.channel.apns.ApnsChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The channel limit: Pushy's client sending the same notifications straight to the same server,
 * without Kafka, Redis or the worker, with a bounded in-flight window; timed like the worker, from
 * the first to the last request the server received.
 */
final class RawLimit {
    private RawLimit() {}

    record Target(String host, int port, Path trustCert, Path signingKey, String teamId, String keyId) {}

    static Arrivals.Summary run(Target t, int connections, int window, List<String> tokens, String topic,
                                String prefix, int n, long timeoutMs) throws Exception {
        // Like the worker: connections spread over one event loop per core, a client per loop (a
        // Pushy client with a multi-threaded group puts its pool and its connections on different
        // threads and every send hops between them).
        int loops = ApnsChannel.shardCount(connections, Runtime.getRuntime().availableProcessors());
        List<EventLoopGroup> groups = new ArrayList<>();
        List<ApnsClient> clients = new ArrayList<>();
        ApnsSigningKey key = ApnsSigningKey.loadFromPkcs8File(t.signingKey().toFile(), t.teamId(), t.keyId());
        for (int i = 0; i < loops; i++) {
            @SuppressWarnings("deprecation") // Pushy recognises NioEventLoopGroup by class name
            EventLoopGroup group = new NioEventLoopGroup(1);
            groups.add(group);
            clients.add(new ApnsClientBuilder()
                    .setApnsServer(t.host(), t.port())
                    .setSigningKey(key)
                    .setTrustedServerCertificateChain(t.trustCert().toFile())
                    .setEventLoopGroup(group)
                    .setConcurrentConnections(ApnsChannel.connectionsOfShard(connections, loops, i))
                    .build());
        }
        LongAdder failed = new LongAdder();
        try {
            Semaphore inFlight = new Semaphore(window);
            // warm-up: connections open, provider token minted and cached (the worker warms the same way on its first sends)
            for (int i = 0; i < Math.min(500, n); i++) {
                inFlight.acquire();
                clients.get(i % loops).sendNotification(notification(tokens.get(i % tokens.size()), topic, "warmup-" + prefix + i, i))
                        .whenComplete((r, e) -> inFlight.release());
            }
            inFlight.acquire(window);
            inFlight.release(window);

            Arrivals arrivals = new Arrivals(prefix, n);
            Arrivals.CURRENT.set(arrivals);
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                arrivals.produced[i] = System.nanoTime();
                clients.get(i % loops).sendNotification(notification(tokens.get(i % tokens.size()), topic, prefix + i, i))
                        .whenComplete((r, e) -> {
                            inFlight.release();
                            if (e != null || !r.isAccepted()) {
                                failed.increment();
                            }
                        });
            }
            arrivals.await(timeoutMs);
            inFlight.acquire(window);
            if (failed.sum() > 0) {
                System.out.printf("  raw client: %d notifications not accepted%n", failed.sum());
            }
            return arrivals.summary();
        } finally {
            Arrivals.CURRENT.set(null);
            for (ApnsClient c : clients) {
                c.close().get(10, TimeUnit.SECONDS);
            }
            for (EventLoopGroup g : groups) {
                g.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The payload the worker sends for a bench job (aps alert, badge, sound, thread-id and the custom keys). */
    static String payload(String messageId, int i) {
        String user = "u" + i;
        return "{\"aps\":{\"alert\":{\"title\":\"Alice\",\"body\":\"message " + i + "\"},\"badge\":1,\"sound\":\"default\","
                + "\"thread-id\":\"c-" + user + "\"},\"messageId\":\"" + messageId + "\",\"conversationId\":\"c-" + user
                + "\",\"senderId\":\"u-sender\",\"conversationType\":\"direct\"}";
    }

    private static SimpleApnsPushNotification notification(String token, String topic, String messageId, int i) {
        return new SimpleApnsPushNotification(token, topic, payload(messageId, i), Instant.now().plusSeconds(3600),
                DeliveryPriority.IMMEDIATE, PushType.ALERT, messageId);
    }
}
