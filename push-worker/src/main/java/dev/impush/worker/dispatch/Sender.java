package dev.impush.worker.dispatch;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import java.util.concurrent.CompletableFuture;

/** Sends deliveries through the configured vendor channels. {@link Dispatcher} is the real one. Thread-safe. */
public interface Sender {
    /** Whether a channel is configured for this vendor. */
    boolean supports(Channel channel);

    /** Whether {@code channel}'s breaker lets calls through freely (closed); false while it is open or probing. */
    boolean healthy(Channel channel);

    /** Epoch ms when {@code channel}'s breaker last closed again after an outage; 0 when it never did. */
    long recoveredAt(Channel channel);

    /** Sends one delivery of a supported channel; the future never completes exceptionally. */
    CompletableFuture<SendResult> send(Delivery delivery);
}
