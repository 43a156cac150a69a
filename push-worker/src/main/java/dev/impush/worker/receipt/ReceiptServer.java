package dev.impush.worker.receipt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.impush.model.Channel;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.receipt.Receipt;
import dev.impush.runtime.PlainText;
import dev.impush.runtime.kafka.KafkaConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the vendors' receipt callbacks ({@code POST <base path>/<channel>} on {@link ReceiptSettings#port()}),
 * keeps those whose tag impush signed, and publishes each as a {@link Receipt} on the receipts topic,
 * counted in {@value #RECEIPTS} and, for deliveries, timed from the send in {@value #LATENCY}. A callback
 * whose receipts all fail the signature is answered 403 and counted as {@value #REJECTED}
 * {@code reason="bad-signature"}; one that is not the vendor's format 400 ({@code malformed}). The vendor
 * gets 200 only once its receipts are on the topic, so it calls again when the broker is away.
 */
public final class ReceiptServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReceiptServer.class);
    public static final String RECEIPTS = "impush.worker.receipts";
    public static final String REJECTED = "impush.worker.receipts.rejected";
    public static final String LATENCY = "impush.worker.receipt.latency";
    /** A callback body larger than this is refused: vendors batch at most a few hundred receipts. */
    static final int MAX_BODY_BYTES = 1 << 20;
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);

    private final ReceiptSettings settings;
    private final ReceiptBook book;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ContractCodec<Receipt> codec = ContractCodec.receipts();
    private final MeterRegistry meters;
    private final Clock clock;
    private final HttpServer server;

    private ReceiptServer(ReceiptSettings settings, ReceiptBook book, KafkaConnection kafka, String clientId,
                          MeterRegistry meters, Clock clock) throws IOException {
        this.settings = settings;
        this.book = book;
        this.meters = meters;
        this.clock = clock;
        this.producer = new KafkaProducer<>(kafka.producer(Map.of(
                ProducerConfig.CLIENT_ID_CONFIG, clientId + "-receipts",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000), Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.server = HttpServer.create(new InetSocketAddress(settings.port()), 0);
        for (Channel c : ReceiptSettings.CHANNELS) {
            server.createContext(settings.path(c), ex -> handle(c, ex));
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    }

    public static ReceiptServer start(ReceiptSettings settings, ReceiptBook book, KafkaConnection kafka,
                                      String clientId, MeterRegistry meters, Clock clock) throws IOException {
        ReceiptServer s = new ReceiptServer(settings, book, kafka, clientId, meters, clock);
        s.server.start();
        LOG.info("receipts for {} taken on port {} at {}/<channel>, published to {}", ReceiptSettings.CHANNELS,
                s.port(), settings.callbackBase(), settings.topic());
        return s;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(Channel channel, HttpExchange ex) throws IOException {
        try (ex) {
            if (!"POST".equals(ex.getRequestMethod())) {
                PlainText.reply(ex, 405, "POST only");
                return;
            }
            byte[] body = read(ex.getRequestBody());
            if (body == null) {
                rejected(channel, "oversized");
                PlainText.reply(ex, 413, "too large");
                return;
            }
            List<VendorReceipt> receipts;
            try {
                receipts = ReceiptFormats.parse(channel, new String(body, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                rejected(channel, "malformed");
                LOG.warn("{} receipt callback refused: {}", channel.wireName(), e.getMessage());
                PlainText.reply(ex, 400, "malformed");
                return;
            }
            int forged = 0;
            List<Future<?>> published = new ArrayList<>(receipts.size());
            for (VendorReceipt r : receipts) {
                Optional<ReceiptTag> tag = ReceiptTag.verify(settings.keyBytes(), r.tag());
                if (tag.isEmpty()) {
                    forged++;
                    rejected(channel, "bad-signature");
                    continue;
                }
                published.add(publish(channel, r, tag.get()));
            }
            if (forged > 0) {
                LOG.warn("{} receipt callback from {}: {} of {} receipts carry no tag impush signed", channel.wireName(),
                        ex.getRemoteAddress(), forged, receipts.size());
            }
            if (!receipts.isEmpty() && forged == receipts.size()) {
                PlainText.reply(ex, 403, "bad signature");
                return;
            }
            try {
                for (Future<?> f : published) {
                    f.get(PUBLISH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (Exception e) {
                LOG.warn("{} receipts not published (the vendor calls again): {}", channel.wireName(), e.toString());
                PlainText.reply(ex, 503, "try again");
                return;
            }
            PlainText.reply(ex, 200, "ok");
        }
    }

    private Future<?> publish(Channel channel, VendorReceipt r, ReceiptTag tag) {
        Instant now = clock.instant();
        Optional<ReceiptBook.Ids> ids = book.ids(tag.delivery());
        Receipt receipt = Receipt.of(channel, r.event(), ids.map(ReceiptBook.Ids::userId).orElse(null),
                ids.map(ReceiptBook.Ids::messageId).orElse(null), ids.map(ReceiptBook.Ids::deviceId).orElse(null),
                tag.delivery(), tag.sentAt(), r.at() != null ? r.at() : now, now);
        String event = r.event().name().toLowerCase(java.util.Locale.ROOT);
        Counter.builder(RECEIPTS).tag("channel", channel.wireName()).tag("event", event)
                .tag("known", Boolean.toString(ids.isPresent())).register(meters).increment();
        if (r.event() == Receipt.Event.DELIVERED) {
            Duration took = Duration.between(tag.sentAt(), receipt.at());
            Timer.builder(LATENCY).tag("channel", channel.wireName())
                    .description("from the worker's send to the vendor's delivery receipt (second resolution)")
                    .register(meters).record(took.isNegative() ? Duration.ZERO : took);
        }
        byte[] key = (receipt.userId() != null ? receipt.userId() : receipt.delivery()).getBytes(StandardCharsets.UTF_8);
        return producer.send(new ProducerRecord<>(settings.topic(), key, codec.encode(receipt)));
    }

    private void rejected(Channel channel, String reason) {
        Counter.builder(REJECTED).tag("channel", channel.wireName()).tag("reason", reason).register(meters).increment();
    }

    private static byte[] read(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        return bytes.length > MAX_BODY_BYTES ? null : bytes;
    }

    @Override
    public void close() {
        server.stop(0);
        producer.close(Duration.ofSeconds(5));
    }
}
