package dev.impush.worker.channel.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.PushNotificationResponse;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One event loop thread with the Pushy clients (production and sandbox) that live on it, and the
 * queue through which callers hand it notifications.
 *
 * <p>Why: a Pushy client acquires a connection from its pool on the pool's event loop, writes on
 * the connection's loop and releases on the pool's loop again; with a multi-threaded group these
 * are different threads, so every send hops threads several times, and each hop may wake a
 * sleeping loop. With one thread per shard all of it runs inline. And callers do not hand sends
 * over one by one: they append to a queue, and only the append that finds no drain scheduled wakes
 * the loop, which then writes everything queued in one task (Pushy's flush consolidation then
 * turns those writes into few TLS records and socket writes).
 */
final class ApnsShard {
    private record Pending(SimpleApnsPushNotification notification, boolean sandbox,
                           CompletableFuture<PushNotificationResponse<SimpleApnsPushNotification>> response) {}

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final ApnsClient production;
    private final ApnsClient sandbox;
    private final Queue<Pending> pending = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    /**
     * @param group   a group of exactly one event loop, owned (and shut down) by the caller
     * @param clients builds a client on {@code group}: {@code true} for sandbox
     */
    ApnsShard(EventLoopGroup group, Function<Boolean, ApnsClient> clients) {
        this.group = group;
        this.loop = group.next();
        this.production = clients.apply(false);
        ApnsClient sb;
        try {
            sb = clients.apply(true);
        } catch (RuntimeException e) {
            production.close();
            throw e;
        }
        this.sandbox = sb;
    }

    EventLoopGroup group() {
        return group;
    }

    /** Thread-safe, never blocks; the response completes on this shard's loop. */
    CompletableFuture<PushNotificationResponse<SimpleApnsPushNotification>> send(SimpleApnsPushNotification n,
                                                                                boolean toSandbox) {
        CompletableFuture<PushNotificationResponse<SimpleApnsPushNotification>> response = new CompletableFuture<>();
        pending.add(new Pending(n, toSandbox, response));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException e) {
                drainScheduled.set(false);
                failPending(e);
            }
        }
        return response;
    }

    private void drain() {
        drainScheduled.set(false); // appends from now on schedule the next drain
        for (Pending p; (p = pending.poll()) != null; ) {
            CompletableFuture<PushNotificationResponse<SimpleApnsPushNotification>> response = p.response();
            (p.sandbox() ? sandbox : production).sendNotification(p.notification()).whenComplete((r, e) -> {
                if (e != null) {
                    response.completeExceptionally(e);
                } else {
                    response.complete(r);
                }
            });
        }
    }

    private void failPending(Exception cause) {
        for (Pending p; (p = pending.poll()) != null; ) {
            p.response().completeExceptionally(cause);
        }
    }

    /** Closes both clients, letting what they have in flight finish. */
    CompletableFuture<Void> closeClients() {
        return CompletableFuture.allOf(production.close(), sandbox.close())
                .whenComplete((v, e) -> failPending(new IllegalStateException("APNs channel closed")));
    }
}
