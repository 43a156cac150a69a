package dev.impush.worker.consumer;

import dev.impush.worker.WorkerConfig;
import dev.impush.worker.dispatch.Sender;
import dev.impush.worker.pipeline.JobPipeline;
import dev.impush.worker.retry.Lanes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The public face of the consumer package: builds the consumer and the poll loop for a worker. */
public final class WorkerLoop implements Runnable {
    private final PollLoop loop;
    private final List<String> topics;

    private WorkerLoop(PollLoop loop, List<String> topics) {
        this.loop = loop;
        this.topics = List.copyOf(topics);
    }

    /** @param formerTiers tier topics of an earlier ladder, read until empty (see {@code RetryTiers#formerTiers}) */
    public static WorkerLoop create(WorkerConfig config, List<String> formerTiers, JobPipeline pipeline, Sender sender,
                                    Clock clock) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(config),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Lanes lanes = config.lanes();
        List<String> topics = new ArrayList<>(lanes.topics(sender.vendors()));
        topics.addAll(formerTiers);
        DelayedPartitions delayed = new DelayedPartitions(lanes::isDelayed, lanes::parkedChannel, sender::recoveredAt);
        return new WorkerLoop(new PollLoop(consumer, topics, delayed, pipeline, lanes::laneOf,
                new PollLoop.Limits(config.maxInFlight(), config.bulkMaxInFlight(), config.bulkYieldAge(),
                        config.commitInterval(), config.drainTimeout()), clock), topics);
    }

    /** The job consumer's configuration. */
    static Map<String, Object> consumerProperties(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.instanceId());
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, config.fetchMaxBytes());
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
                Math.min(config.fetchMaxBytes(), ConsumerConfig.DEFAULT_MAX_PARTITION_FETCH_BYTES));
        // at Kafka's defaults (1 byte, 500 ms) every fetch returns at once with the few records that
        // arrived since the last one: under load many small fetches cost the broker and this poll
        // thread more than the few milliseconds of waiting for a fuller one
        props.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, config.fetchMinBytes());
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, (int) config.fetchMaxWait().toMillis());
        return config.kafka().consumer(props, Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                // static membership: a restarted replica takes its partitions back without a rebalance
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.instanceId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    }

    @Override
    public void run() {
        loop.run();
    }

    public void stop() {
        loop.stop();
    }

    /** Seconds since the oldest parked record this replica waits at was written; 0 when none. */
    public double oldestParkedAge() {
        return loop.oldestParkedAge();
    }

    /** The topics the loop reads: both lanes' jobs, retry tiers (and former ones) and parking topics. */
    public List<String> topics() {
        return topics;
    }

    /** Seconds since the oldest record of {@code topic} this replica took and has not finished waits; 0 when none. */
    public double oldestUnfinishedAge(String topic) {
        return loop.oldestUnfinishedAge(topic);
    }

    public boolean isRunning() {
        return loop.isRunning();
    }
}
