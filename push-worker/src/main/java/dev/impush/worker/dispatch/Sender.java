package dev.impush.worker.dispatch;

import dev.impush.model.Channel;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Sends deliveries through the configured vendor channels. {@link Dispatcher} is the real one. Thread-safe. */
public interface Sender {
    /** The vendors with a channel configured, for any app. */
    Set<Channel> vendors();

    /** Empty when a channel is configured for {@code target} (its vendor, for its app); else why not. */
    Optional<String> missing(PushTarget target);

    /** Whether the breaker of {@code target}'s channel lets calls through freely (closed); false while it is open or probing. */
    boolean healthy(PushTarget target);

    /** Epoch ms when a breaker of {@code channel} (any app's) last closed again after an outage; 0 when none did. */
    long recoveredAt(Channel channel);

    /** Sends one delivery of a supported target; the future never completes exceptionally. */
    CompletableFuture<SendResult> send(Delivery delivery);
}
