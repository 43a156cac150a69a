package dev.impush.e2e;

import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Puts push jobs straight on {@code push.jobs} (as the detector would) for devices it registers at the mocks. */
final class JobProducer implements AutoCloseable {
    /** One job sent: what the device should show. */
    record Sent(String messageId, String deviceId, Channel channel, String token, boolean dead) {
        int shown(LocalPipeline p) {
            return p.ledger(channel).shown(messageId, deviceId);
        }

        int requests(LocalPipeline p) {
            return p.ledger(channel).requests(messageId, deviceId);
        }
    }

    private final KafkaProducer<byte[], byte[]> producer;

    JobProducer(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * {@code count} one-device jobs for users {@code prefix-u0..499}, on {@code channel} (or cycling
     * through all eight channels when it is null), each device registered at its mock. Returns when
     * all are acknowledged.
     */
    List<Sent> send(LocalPipeline pipeline, String prefix, int count, Channel channel) {
        return send(pipeline, prefix, count, channel, 0);
    }

    /** As {@link #send(LocalPipeline, String, int, Channel)}; every {@code deadEvery}-th token is dead at the vendor. */
    List<Sent> send(LocalPipeline pipeline, String prefix, int count, Channel channel, int deadEvery) {
        List<Sent> sent = new ArrayList<>(count);
        Instant now = Instant.now();
        Channel[] all = Channel.values();
        for (int i = 0; i < count; i++) {
            String user = prefix + "-u" + (i % 500);
            Channel c = channel != null ? channel : all[i % all.length];
            String deviceId = user + "-" + c.wireName();
            String token = c == Channel.APNS ? MockApns.randomToken() : c == Channel.WEBPUSH
                    ? pipeline.vendors().subscribe(deviceId) : c.wireName() + "-" + deviceId + "-" + i;
            String appId = c == Channel.APNS ? "com.example.chat" : MockVendors.ANDROID_APP;
            boolean dead = deadEvery > 0 && i % deadEvery == deadEvery - 1;
            pipeline.vendors().register(new Population.Device(user, deviceId, c, token, appId, false, !dead),
                    now.minusSeconds(1));
            String messageId = prefix + "-m" + i;
            PushJob job = PushJob.of(messageId, user, "c-" + user,
                    new Notification("Alice", "message " + i, 1, "default", messageId, "c-" + user,
                            Priority.HIGH, false, Map.of(Notification.MESSAGE_ID_KEY, messageId)),
                    List.of(new PushTarget(deviceId, c, token, appId, false)), now, now.plusSeconds(3600));
            producer.send(new ProducerRecord<>(Topics.JOBS, user.getBytes(StandardCharsets.UTF_8), Json.write(job)));
            sent.add(new Sent(messageId, deviceId, c, token, dead));
        }
        producer.flush();
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
