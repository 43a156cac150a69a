package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.Ports;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.receipt.Receipt;
import dev.impush.worker.receipt.ReceiptServer;
import dev.impush.worker.receipt.ReceiptTag;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Vendor receipts on a real broker and redis-server, the detector, a worker taking receipts, and the
 * Xiaomi, vivo and OPPO mocks, which call a push's receipt back in their vendor's format when the push asks
 * for one: each becomes a record on {@code push.receipts} naming the user, message and device, and is
 * counted and timed per channel; a callback whose tag impush did not sign is refused (403) and counted,
 * a body that is not the vendor's format is refused (400), and a receipt the worker no longer knows the
 * ids of is still published, with its delivery digest.
 */
@Timeout(180)
class ReceiptIT {
    private static final Duration SETTLED = Duration.ofSeconds(30);
    private static final String KEY = "receipt-key-for-the-receipt-it-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;
    private static String base;
    private static final Map<String, Receipt> receipts = new ConcurrentHashMap<>();
    private static final ConcurrentLinkedQueue<Receipt> unknown = new ConcurrentLinkedQueue<>();
    private static volatile boolean reading = true;
    private static Thread reader;

    @BeforeAll
    static void start() throws Exception {
        int port = Ports.free();
        base = "http://127.0.0.1:" + port + "/impush/receipts";
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withWorkerEnv(Map.of(
                "IMPUSH_RECEIPTS_URL", base, "IMPUSH_RECEIPTS_KEY", KEY, "IMPUSH_RECEIPTS_PORT", Integer.toString(port))));
        pipeline.startWorker("receipt-worker");
        traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
        reader = Thread.ofVirtual().start(ReceiptIT::read);
    }

    @AfterAll
    static void stop() throws Exception {
        reading = false;
        if (reader != null) {
            reader.join(5_000);
        }
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    /** Reads push.receipts from its start: by message and device, or, without ids, into {@link #unknown}. */
    private static void read() {
        ContractCodec<Receipt> codec = ContractCodec.receipts();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(pipeline.stack().kafka().clientProperties(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "receipt-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RECEIPTS));
            while (reading) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (codec.decode(r.value()) instanceof Decoded.Ok<Receipt> ok) {
                        Receipt receipt = ok.value();
                        if (receipt.messageId() == null) {
                            unknown.add(receipt);
                        } else {
                            receipts.put(receipt.messageId() + "/" + receipt.deviceId(), receipt);
                        }
                    }
                }
            }
        }
    }

    private static double count(String name, String... tags) {
        return pipeline.count(name, tags);
    }

    /** Deliveries timed from send to receipt on {@code channel}. */
    private static long timed(Channel channel) {
        var timer = pipeline.meters().find(ReceiptServer.LATENCY).tag("channel", channel.wireName()).timer();
        return timer == null ? 0 : timer.count();
    }

    private static HttpResponse<String> post(String channel, String contentType, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + "/" + channel)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String xiaomiReceipt(String param) {
        String data = "{\"slm-1\":{\"param\":\"" + param + "\",\"type\":1,\"targets\":\"r1\",\"jobkey\":\"\","
                + "\"timestamp\":" + System.currentTimeMillis() + "}}";
        return "data=" + URLEncoder.encode(data, StandardCharsets.UTF_8);
    }

    @Test
    void aPushToXiaomiVivoAndOppo_comesBackAsADeliveryReceipt_withItsIds() throws Exception {
        Instant registeredAt = Instant.now().minusSeconds(60);
        Population p = new Population(List.of(
                new Population.Device("rcpt-u1", "rcpt-u1-mi", Channel.XIAOMI, "mi-rcpt-u1", "com.example.chat.android",
                        false, true),
                new Population.Device("rcpt-u1", "rcpt-u1-vivo", Channel.VIVO, "vivo-rcpt-u1", "com.example.chat.android",
                        false, true),
                new Population.Device("rcpt-u1", "rcpt-u1-oppo", Channel.OPPO, "oppo-rcpt-u1", "com.example.chat.android",
                        false, true)));
        pipeline.registerAtVendors(p, registeredAt);
        traffic.connect(p, "gw-receipts", registeredAt);
        Map<Channel, Long> timed = Map.of(Channel.XIAOMI, timed(Channel.XIAOMI), Channel.VIVO, timed(Channel.VIVO),
                Channel.OPPO, timed(Channel.OPPO));
        Instant before = Instant.now();
        traffic.message("rcpt-u1", "rcpt-m1", "hello", before);
        traffic.flush();

        for (Population.Device d : p.devices()) {
            Await.until(SETTLED, () -> receipts.containsKey("rcpt-m1/" + d.deviceId()),
                    () -> "no receipt for " + d.deviceId() + "; have " + receipts.keySet());
            Receipt r = receipts.get("rcpt-m1/" + d.deviceId());
            assertEquals(d.channel(), r.channel());
            assertEquals(Receipt.Event.DELIVERED, r.event());
            assertEquals("rcpt-u1", r.userId());
            assertEquals(ReceiptTag.delivery("rcpt-u1", "rcpt-m1", d.deviceId()), r.delivery());
            assertTrue(!r.sentAt().isBefore(before.minusSeconds(1)) && !r.sentAt().isAfter(r.receivedAt()),
                    "sent at " + r.sentAt() + ", received at " + r.receivedAt());
            assertEquals(1, count(ReceiptServer.RECEIPTS, "channel", d.channel().wireName(), "event", "delivered",
                    "known", "true"));
            assertEquals(1, timed(d.channel()) - timed.get(d.channel()), "its latency, from the send");
        }
        assertEquals(1, pipeline.vendors().china(Channel.XIAOMI).counted("receipt.200"), "the worker answered 200");
    }

    @Test
    void aReceiptWithATagImpushDidNotSign_isRefused_andCounted() throws Exception {
        String forged = ReceiptTag.of("u-x", "m-x", "d-x", Instant.now()).sign("another-key-of-enough-length".getBytes(
                StandardCharsets.UTF_8));
        HttpResponse<String> r = post("xiaomi", "application/x-www-form-urlencoded", xiaomiReceipt(forged));
        assertEquals(403, r.statusCode());
        assertEquals(1, count(ReceiptServer.REJECTED, "channel", "xiaomi", "reason", "bad-signature"));

        HttpResponse<String> malformed = post("vivo", "application/json", "[not json");
        assertEquals(400, malformed.statusCode());
        assertEquals(1, count(ReceiptServer.REJECTED, "channel", "vivo", "reason", "malformed"));
        Thread.sleep(500);
        assertTrue(unknown.stream().noneMatch(x -> x.delivery().equals(ReceiptTag.delivery("u-x", "m-x", "d-x"))),
                "nothing forged was published");
    }

    @Test
    void aReceiptOfAPushTheWorkerNoLongerKnows_isPublished_withItsDigest() throws Exception {
        Instant sentAt = Instant.now().minusSeconds(3);
        String tag = ReceiptTag.of("u-gone", "m-gone", "d-gone", sentAt).sign(KEY.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post("vivo", "application/json", "{\"task-9\":{\"param\":\"" + tag + "\",\"targets\":\"r9\"}}");
        assertEquals(200, r.statusCode());
        String delivery = ReceiptTag.delivery("u-gone", "m-gone", "d-gone");
        Await.until(SETTLED, () -> unknown.stream().anyMatch(x -> x.delivery().equals(delivery)), () -> "not published");
        Optional<Receipt> found = unknown.stream().filter(x -> x.delivery().equals(delivery)).findFirst();
        assertNull(found.orElseThrow().userId());
        assertEquals(Instant.ofEpochSecond(sentAt.getEpochSecond()), found.get().sentAt());
        assertEquals(1, count(ReceiptServer.RECEIPTS, "channel", "vivo", "event", "delivered", "known", "false"));
    }
}
