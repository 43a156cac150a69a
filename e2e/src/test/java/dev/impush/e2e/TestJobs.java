package dev.impush.e2e;

import dev.impush.localstack.traffic.Population;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Push jobs written straight onto the jobs topic by tests, and the worker group's progress. */
final class TestJobs {
    /** The workers' consumer group (IMPUSH_WORKER_GROUP's default). */
    static final String WORKER_GROUP = "impush-push-worker";

    private TestJobs() {}

    /** A job of {@code messageId} with {@code body} to {@code devices} (one user's), expiring in {@code ttl}. */
    static PushJob job(String messageId, String body, Duration ttl, List<Population.Device> devices) {
        return job(messageId, body, ttl, devices, null);
    }

    /** As above, the devices having registered their tokens at {@code registeredAt} (null: unknown). */
    static PushJob job(String messageId, String body, Duration ttl, List<Population.Device> devices,
                       Instant registeredAt) {
        Instant now = Instant.now();
        return PushJob.of(messageId, devices.getFirst().userId(), "c-1",
                new Notification("t", body, null, null, messageId, "c-1", Priority.HIGH, false,
                        Map.of(Notification.MESSAGE_ID_KEY, messageId)),
                devices.stream().map(d -> new PushTarget(d.deviceId(), d.channel(), d.token(), d.appId(), false,
                        registeredAt)).toList(),
                now, now.plus(ttl));
    }

    static PushJob job(String messageId, Population.Device device) {
        return job(messageId, "b", Duration.ofMinutes(10), List.of(device));
    }

    /** The worker group's committed offset of {@code tp}, -1 when none (or unreadable). */
    static long committed(Admin admin, TopicPartition tp) {
        try {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(WORKER_GROUP).partitionsToOffsetAndMetadata().get().get(tp);
            return o == null ? -1 : o.offset();
        } catch (Exception e) {
            return -1;
        }
    }
}
