package dev.impush.worker.channel.http;

import dev.impush.model.Channel;
import dev.impush.model.Tokens;
import dev.impush.worker.channel.Delivery;
import dev.impush.worker.channel.PushChannel;
import dev.impush.worker.channel.SendOutcome;
import dev.impush.worker.tracing.DeliveryTracing;
import io.opentelemetry.api.trace.Span;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The skeleton of a channel that speaks a vendor's HTTP API: render the request, authenticate it,
 * post it, map the answer. A vendor supplies only {@link #prepare} (the request, or an outcome when
 * none can be made), {@link #answer} (what the vendor's answer means) and, when its requests carry a
 * token, {@link #auth}.
 *
 * <p>Outcomes: a message that cannot be built is {@link SendOutcome.Rejected}; a transport failure
 * fails the future (the caller retries); an auth call the vendor refused is what {@link VendorAuth}
 * says. Thread-safe and non-blocking: requests run on the HTTP client's virtual threads.
 * {@link #close()} refuses new sends and waits for the requests in flight.
 */
public abstract class HttpChannel implements PushChannel {
    private static final Logger LOG = LoggerFactory.getLogger(HttpChannel.class);

    /** What {@link #prepare} decided for a delivery. */
    public sealed interface Prepared {
        /** A request, built with the auth token of the moment ({@code null} for a vendor without tokens). */
        record Post(Function<AuthToken, VendorHttp.Request> request) implements Prepared {}

        /** No request: this is the delivery's outcome. */
        record Answer(SendOutcome outcome) implements Prepared {}

        static Prepared post(VendorHttp.Request request) {
            return new Post(token -> request);
        }
    }

    private final Channel channel;
    private final SendGate gate;
    protected final VendorHttp http;

    protected HttpChannel(Channel channel, String name, VendorSettings settings) {
        this(channel, name, settings.http());
    }

    /** A channel over {@code http}, which it owns (closes). */
    protected HttpChannel(Channel channel, String name, VendorHttp http) {
        this.channel = channel;
        this.http = http;
        this.gate = new SendGate(name, http);
    }

    /** The request for one delivery. May throw when the message cannot be built. */
    protected abstract Prepared prepare(Delivery delivery);

    /** What the vendor's answer to {@code delivery}'s request means. */
    protected abstract SendOutcome answer(VendorHttp.Response response, Delivery delivery);

    /**
     * A JSON post of {@code body} (JSON text) to {@code uri} with the headers made from the auth token of the
     * moment; when no body fitted under the vendor's {@code maxBytes} (only custom data can do that:
     * the text is trimmed to fit), no request but {@link SendOutcome.Rejected}.
     */
    protected final Prepared jsonPost(Delivery delivery, Optional<String> body, int maxBytes, URI uri,
                                      Function<AuthToken, Map<String, String>> headers) {
        if (body.isEmpty()) {
            LOG.warn("{} message {} exceeds {} bytes with an empty body: custom data too large", channel.wireName(),
                    delivery.messageId(), maxBytes);
            return new Prepared.Answer(new SendOutcome.Rejected(channel.wireName() + " payload > " + maxBytes
                    + " bytes with an empty body: custom data too large"));
        }
        return new Prepared.Post(token -> VendorHttp.Request.jsonText(uri, headers.apply(token), body.get()));
    }

    /** How requests are authenticated; by default the request carries its credentials itself. */
    protected VendorAuth auth() {
        return VendorAuth.NONE;
    }

    @Override
    public final Channel channel() {
        return channel;
    }

    @Override
    public final CompletableFuture<SendOutcome> send(Delivery delivery) {
        return gate.send(() -> {
            Prepared prepared;
            try {
                prepared = prepare(delivery);
            } catch (RuntimeException e) {
                return CompletableFuture.completedFuture(new SendOutcome.Rejected(
                        channel.wireName() + ": cannot build message: " + e.getMessage()));
            }
            return switch (prepared) {
                case Prepared.Answer a -> CompletableFuture.completedFuture(a.outcome());
                case Prepared.Post post -> {
                    Span span = DeliveryTracing.startSend(delivery, channel.wireName());
                    Map<String, String> traced = DeliveryTracing.headers(span);
                    yield auth().send(token -> http.post(post.request().apply(token).withHeaders(traced), delivery.lane())
                            .thenApply(r -> answer(r, delivery))).whenComplete((outcome, e) -> {
                                DeliveryTracing.end(span, outcome == null ? "failed" : outcome.getClass().getSimpleName(), e);
                                log(delivery, outcome, e);
                            });
                }
            };
        });
    }

    private void log(Delivery delivery, SendOutcome outcome, Throwable failure) {
        if (LOG.isDebugEnabled() && !(outcome instanceof SendOutcome.Delivered)) {
            try (DeliveryTracing.LogScope ignored = DeliveryTracing.logged(delivery)) {
                LOG.debug("{} {} for message {} to {}", channel.wireName(), outcome == null ? failure : outcome,
                        delivery.messageId(), Tokens.mask(delivery.target().token()));
            }
        }
    }

    /** Idempotent; waits for the HTTP client to close. */
    @Override
    public final void close() {
        gate.close();
    }
}
