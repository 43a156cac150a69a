package dev.impush.worker.receipt;

import dev.impush.model.Channel;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import java.util.concurrent.CompletableFuture;

/**
 * A channel whose pushes ask for receipts: each delivery goes into the {@link ReceiptBook} as it is
 * sent, so its receipt, however fast the vendor sends it, finds whom it was for.
 */
public final class BookedChannel implements PushChannel {
    private final PushChannel channel;
    private final ReceiptBook book;

    public BookedChannel(PushChannel channel, ReceiptBook book) {
        this.channel = channel;
        this.book = book;
    }

    @Override
    public Channel channel() {
        return channel.channel();
    }

    @Override
    public CompletableFuture<SendOutcome> send(Delivery delivery) {
        book.sent(delivery);
        return channel.send(delivery);
    }

    @Override
    public void close() {
        channel.close();
    }
}
