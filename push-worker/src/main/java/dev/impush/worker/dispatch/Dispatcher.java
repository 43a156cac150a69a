package dev.impush.worker.dispatch;

import dev.impush.model.Channel;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Channels;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.VendorApp;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.quota.QuotaGate;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Routes each delivery to the channel of its vendor and app (behind that channel's retry, breaker
 * and quota) and records the send metrics. Thread-safe. Owns the channels: {@link #close()} closes them.
 */
public final class Dispatcher implements Sender, AutoCloseable {
    private final Map<VendorApp, GuardedChannel> guarded = new HashMap<>();
    private final Channels channels;

    public Dispatcher(Channels channels, ChannelResilience resilience, QuotaGate quota,
                      ScheduledExecutorService scheduler, WorkerMetrics metrics, Clock clock) {
        this.channels = channels;
        channels.all().forEach((key, ch) -> guarded.put(key, new GuardedChannel(key, ch, resilience.retry(key),
                resilience.breaker(key), resilience.ramp(), quota, scheduler, metrics, clock)));
    }

    @Override
    public Set<Channel> vendors() {
        return channels.vendors();
    }

    @Override
    public Optional<String> missing(PushTarget target) {
        return channels.missing(target);
    }

    @Override
    public boolean healthy(PushTarget target) {
        GuardedChannel g = guarded.get(channels.route(target));
        return g == null || g.healthy();
    }

    @Override
    public long recoveredAt(Channel channel) {
        long at = 0;
        for (Map.Entry<VendorApp, GuardedChannel> e : guarded.entrySet()) {
            if (e.getKey().channel() == channel) {
                at = Math.max(at, e.getValue().recoveredAt());
            }
        }
        return at;
    }

    @Override
    public CompletableFuture<SendResult> send(Delivery delivery) {
        VendorApp route = channels.route(delivery.target());
        GuardedChannel g = guarded.get(route);
        if (g == null) {
            throw new IllegalArgumentException("no channel configured for " + route);
        }
        return g.send(delivery);
    }

    @Override
    public void close() {
        channels.close();
    }
}
