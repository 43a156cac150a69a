package dev.impush.e2e;

import dev.impush.localstack.apns.MockApns;
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
    record Sent(String messageId, String deviceId, Channel channel) {
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
     * {@code count} one-device jobs for users {@code prefix-u0..499}, on {@code channel} (or alternating
     * APNs/FCM when it is null), each device registered at its mock. Returns when all are acknowledged.
     */
    List<Sent> send(LocalPipeline pipeline, String prefix, int count, Channel channel) {
        List<Sent> sent = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String user = prefix + "-u" + (i % 500);
            boolean ios = channel == null ? i % 2 == 0 : channel == Channel.APNS;
            String deviceId = user + (ios ? "-ios" : "-android");
            String token = ios ? MockApns.randomToken() : "fcm-" + deviceId + "-" + i;
            String appId = ios ? "com.example.chat" : "com.example.chat.android";
            if (ios) {
                pipeline.apns().registerDevice(deviceId, token, appId);
            } else {
                pipeline.fcm().registerDevice(deviceId, token);
            }
            String messageId = prefix + "-m" + i;
            PushJob job = PushJob.of(messageId, user, "c-" + user,
                    new Notification("Alice", "message " + i, 1, "default", messageId, "c-" + user,
                            Priority.HIGH, false, Map.of(Notification.MESSAGE_ID_KEY, messageId)),
                    List.of(new PushTarget(deviceId, ios ? Channel.APNS : Channel.FCM, token, appId, false)),
                    now, now.plusSeconds(3600));
            producer.send(new ProducerRecord<>(Topics.JOBS, user.getBytes(StandardCharsets.UTF_8), Json.write(job)));
            sent.add(new Sent(messageId, deviceId, ios ? Channel.APNS : Channel.FCM));
        }
        producer.flush();
        return sent;
    }

    @Override
    public void close() {
        producer.close();
    }
}
