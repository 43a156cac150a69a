package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.DeliveryLedger;
import dev.impush.localstack.apns.MockApns;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker process killed with SIGKILL mid-stream and restarted loses nothing, and no device
 * shows a notification twice (counted at the mock vendors).
 */
@Timeout(300)
class WorkerCrashIT {
    private static final int JOBS = 20_000;

    @Test
    void kill9MidStream_thenRestart_losesNothing_andShowsNothingTwice() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector())) {
            record Target(String messageId, String deviceId, Channel channel) {}
            List<Target> targets = new ArrayList<>(JOBS);
            Instant now = Instant.now();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers(),
                    ProducerConfig.LINGER_MS_CONFIG, 10, ProducerConfig.ACKS_CONFIG, "all"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < JOBS; i++) {
                    String user = "crash-u" + (i % 500);
                    boolean ios = i % 2 == 0;
                    String deviceId = user + (ios ? "-ios" : "-android");
                    String token = ios ? MockApns.randomToken() : "fcm-" + deviceId + "-" + i;
                    String appId = ios ? "com.example.chat" : "com.example.chat.android";
                    if (ios) {
                        pipeline.apns().registerDevice(deviceId, token, appId);
                    } else {
                        pipeline.fcm().registerDevice(deviceId, token);
                    }
                    String messageId = "crash-m" + i;
                    PushJob job = PushJob.of(messageId, user, "c-" + user,
                            new Notification("Alice", "message " + i, 1, "default", messageId, "c-" + user,
                                    Priority.HIGH, false, Map.of(Notification.MESSAGE_ID_KEY, messageId)),
                            List.of(new PushTarget(deviceId, ios ? Channel.APNS : Channel.FCM, token, appId, false)),
                            now, now.plusSeconds(3600));
                    producer.send(new ProducerRecord<>(Topics.JOBS, user.getBytes(StandardCharsets.UTF_8), Json.write(job)));
                    targets.add(new Target(messageId, deviceId, ios ? Channel.APNS : Channel.FCM));
                }
                producer.flush();
            }
            DeliveryLedger apns = pipeline.ledger(Channel.APNS);
            DeliveryLedger fcm = pipeline.ledger(Channel.FCM);

            WorkerProcess first = pipeline.startWorkerProcess("crash-worker");
            Await.until(Duration.ofSeconds(90), () -> apns.total() + fcm.total() >= JOBS / 10,
                    () -> "worker delivered only " + (apns.total() + fcm.total()) + "; log " + first.log());
            first.kill9();
            long atKill = apns.total() + fcm.total();
            assertTrue(atKill < JOBS, "killed mid-stream (" + atKill + " of " + JOBS + " delivered)");

            WorkerProcess second = pipeline.startWorkerProcess("crash-worker");
            Await.until(Duration.ofSeconds(180),
                    () -> targets.stream().allMatch(t -> pipeline.ledger(t.channel()).shown(t.messageId(), t.deviceId()) >= 1),
                    () -> targets.stream().filter(t -> pipeline.ledger(t.channel()).shown(t.messageId(), t.deviceId()) == 0)
                            .count() + " jobs not delivered; log " + second.log());
            Thread.sleep(1000);
            long lost = targets.stream().filter(t -> pipeline.ledger(t.channel()).shown(t.messageId(), t.deviceId()) == 0).count();
            long shownTwice = targets.stream().filter(t -> pipeline.ledger(t.channel()).shown(t.messageId(), t.deviceId()) > 1).count();
            long resends = apns.resends() + fcm.resends();
            System.out.printf("kill -9 after %d of %d deliveries: lost %d, shown twice %d, vendor re-sends %d "
                    + "(absorbed by collapse ids)%n", atKill, JOBS, lost, shownTwice, resends);
            assertEquals(0, lost, "lost");
            assertEquals(0, shownTwice, "shown twice on a device");
            assertTrue(resends <= 5_000, "re-sends bounded by the in-flight window: " + resends);
            assertEquals(143, second.terminate(), "the restarted worker drains and exits through its shutdown hook on SIGTERM");
        }
    }
}
