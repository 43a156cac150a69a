package dev.impush.worker.dispatch;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.quota.QuotaGate;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Routes each delivery to its vendor's channel (behind retry and breaker) and records the send
 * metrics. Thread-safe. Owns the channels: {@link #close()} closes them.
 */
public final class Dispatcher implements Sender, AutoCloseable {
    private final Map<Channel, GuardedChannel> channels = new EnumMap<>(Channel.class);
    private final Map<Channel, PushChannel> raw;

    public Dispatcher(Map<Channel, PushChannel> channels, ChannelResilience resilience, QuotaGate quota,
                      ScheduledExecutorService scheduler, WorkerMetrics metrics, Clock clock) {
        this.raw = Map.copyOf(channels);
        channels.forEach((c, ch) -> this.channels.put(c, new GuardedChannel(ch, resilience.retry(c),
                resilience.breaker(c), resilience.ramp(), quota, scheduler, metrics, clock)));
    }

    @Override
    public boolean supports(Channel channel) {
        return channels.containsKey(channel);
    }

    @Override
    public boolean healthy(Channel channel) {
        GuardedChannel g = channels.get(channel);
        return g == null || g.healthy();
    }

    @Override
    public long recoveredAt(Channel channel) {
        GuardedChannel g = channels.get(channel);
        return g == null ? 0 : g.recoveredAt();
    }

    @Override
    public CompletableFuture<SendResult> send(Delivery delivery) {
        Channel channel = delivery.target().channel();
        GuardedChannel guarded = channels.get(channel);
        if (guarded == null) {
            throw new IllegalArgumentException("no channel configured for " + channel);
        }
        return guarded.send(delivery);
    }

    @Override
    public void close() {
        raw.values().forEach(PushChannel::close);
    }
}
