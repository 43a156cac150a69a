package dev.impush.detector.input;

import dev.impush.runtime.kafka.KafkaConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the broker, every interval, for the end of each partition of the events topic (its last
 * stable offset: what a read-committed consumer can reach) and for the detector group's committed
 * offsets, and records the answers in a {@link ProbeLog}. Two small admin requests per interval.
 *
 * <p>Lifecycle: {@link #start} starts one daemon thread; {@link #close()} stops it, waits for it and
 * closes the admin client. A probe that fails (broker away, a timeout) counts as the broker not
 * answering; failures are logged when they start and when they end, not each time.
 */
public final class BrokerProbe implements InputProgress, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerProbe.class);
    /** How many probes between two reads of the topic's partition list. */
    private static final int DESCRIBE_EVERY = 60;

    private final Admin admin;
    private final String topic;
    private final String groupId;
    private final Duration timeout;
    private final Clock clock;
    private final ProbeLog answers;
    private final ScheduledExecutorService thread;
    private List<TopicPartition> partitions = List.of();
    private int sinceDescribe;
    private boolean failing;

    private BrokerProbe(Admin admin, String topic, String groupId, Duration interval, Duration grace, Clock clock) {
        this.admin = admin;
        this.topic = topic;
        this.groupId = groupId;
        // an answer slower than the interval is still an answer; one slower than this is an outage
        this.timeout = interval.multipliedBy(2).compareTo(Duration.ofSeconds(2)) > 0
                ? interval.multipliedBy(2) : Duration.ofSeconds(2);
        this.clock = clock;
        // a gap of three intervals plus a timeout between answers: the detector itself did not run
        this.answers = new ProbeLog(grace.toMillis(), interval.multipliedBy(3).plus(timeout).toMillis());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "impush-detector-input-probe");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts probing {@code topic} and the committed offsets of consumer group {@code groupId} (the
     * Streams application id) every {@code interval}.
     */
    public static BrokerProbe start(KafkaConnection kafka, String clientId, String topic, String groupId,
                                    Duration interval, Duration grace, Clock clock) {
        Admin admin = Admin.create(kafka.admin(Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000), Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG, clientId)));
        return new BrokerProbe(admin, topic, groupId, interval, grace, clock);
    }

    private void probe() {
        long sentAt = clock.millis();
        try {
            if (partitions.isEmpty() || ++sinceDescribe >= DESCRIBE_EVERY) {
                sinceDescribe = 0;
                partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
                    .timeoutMs((int) timeout.toMillis())).all();
            var committed = admin.listConsumerGroupOffsets(groupId, new ListConsumerGroupOffsetsOptions()
                    .timeoutMs((int) timeout.toMillis())).partitionsToOffsetAndMetadata();
            Map<Integer, Long> endOffsets = new HashMap<>();
            ends.get(timeout.toMillis(), TimeUnit.MILLISECONDS).forEach((tp, info) -> endOffsets.put(tp.partition(), info.offset()));
            Map<Integer, Long> committedOffsets = new HashMap<>();
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e
                    : committed.get(timeout.toMillis(), TimeUnit.MILLISECONDS).entrySet()) {
                if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                    committedOffsets.put(e.getKey().partition(), e.getValue().offset());
                }
            }
            answers.answered(sentAt, endOffsets, committedOffsets);
            if (failing) {
                failing = false;
                log.info("input probe: the broker answers again; ack deadlines of idle partitions fire again once it has "
                        + "answered for the grace");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            answers.failed(sentAt);
            if (!failing) {
                failing = true;
                log.warn("input probe: no answer from the broker about {} ({}); ack deadlines wait until the detector "
                        + "has read the events sent meanwhile", topic, e.toString());
            }
        }
    }

    @Override
    public long caughtUpAt(int partition, long now) {
        return answers.caughtUpAt(partition, now);
    }

    @Override
    public long reachableSince(long now) {
        return answers.reachableSince(now);
    }

    /** Stops the probe thread, waits for it, and closes the admin client. Idempotent. */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            if (!thread.awaitTermination(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
                log.warn("input probe did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
