package dev.impush.worker;

import dev.impush.model.Topics;
import dev.impush.model.codec.ContractCodec;
import dev.impush.runtime.Env;
import dev.impush.runtime.kafka.KafkaConnection;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.worker.channel.VendorApp;
import dev.impush.worker.dispatch.ResilienceSettings;
import dev.impush.worker.quota.QuotaLimits;
import dev.impush.worker.receipt.ReceiptSettings;
import dev.impush.worker.retry.Lanes;
import dev.impush.worker.retry.RetryTiers;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The push worker's settings, read once at start-up from the environment (see the README table).
 *
 * @param kafka           how to reach Kafka (IMPUSH_KAFKA_*: bootstrap, TLS, SASL, settings passed through)
 * @param redis           how to reach the dedupe Redis (IMPUSH_REDIS_URI, _USERNAME, _PASSWORD_FILE, _CA_FILE)
 * @param lanes           push jobs to consume by lane: chat (IMPUSH_TOPIC_JOBS) and bulk (IMPUSH_TOPIC_JOBS_BULK), each
 *                        with its durable retry tiers (IMPUSH_RETRY_TIERS, topics IMPUSH_TOPIC_RETRY_PREFIX + delay,
 *                        bulk ones + {@code bulk.} + delay) and parking topics for longer waits
 *                        (IMPUSH_TOPIC_PARK_PREFIX + channel, bulk ones + {@code bulk.} + channel)
 * @param feedbackTopic   where invalid tokens are reported (IMPUSH_TOPIC_FEEDBACK)
 * @param dlqTopic        dead letters (IMPUSH_TOPIC_DLQ)
 * @param groupId         consumer group shared by all replicas (IMPUSH_WORKER_GROUP)
 * @param instanceId      static membership id, stable across restarts of one replica
 *                        (IMPUSH_WORKER_INSTANCE_ID, default the host name)
 * @param maxInFlight     records in the pipeline before partitions are paused (IMPUSH_WORKER_MAX_IN_FLIGHT)
 * @param bulkMaxInFlight bulk-lane records in the pipeline before the bulk lane pauses; it also pauses while the
 *                        chat lane has a backlog (IMPUSH_WORKER_BULK_MAX_IN_FLIGHT, default a sixteenth of
 *                        maxInFlight: what is in flight is ahead of a chat push that arrives)
 * @param bulkYieldAge    chat is slow when a chat record is taken this much later than chat records are taken
 *                        at best; the bulk lane then pauses and its rate halves (IMPUSH_WORKER_BULK_YIELD_MS;
 *                        0 = never for this reason)
 * @param maxPollRecords  records per poll (IMPUSH_WORKER_MAX_POLL_RECORDS)
 * @param fetchMaxBytes   largest fetch response, Kafka's {@code fetch.max.bytes} (IMPUSH_WORKER_FETCH_MAX_BYTES):
 *                        the consumer reads each response into one array, and below 512 KB that
 *                        array is an ordinary young object for G1 rather than a humongous one that
 *                        starts a concurrent cycle
 * @param fetchMinBytes   the broker holds a fetch until this much is ready, Kafka's {@code fetch.min.bytes}
 *                        (IMPUSH_WORKER_FETCH_MIN_BYTES), or until {@code fetchMaxWait}
 * @param fetchMaxWait    the longest the broker holds a fetch for {@code fetchMinBytes}, Kafka's
 *                        {@code fetch.max.wait.ms} (IMPUSH_WORKER_FETCH_MAX_WAIT_MS): the latency a
 *                        quiet topic adds, traded for fewer, fuller fetches under load
 * @param maxJobBytes     larger job records are dead-lettered as oversized (IMPUSH_WORKER_MAX_JOB_BYTES, at most
 *                        {@link #MAX_JOB_BYTES_CEILING}: a job read must still fit, with its retry headers or
 *                        in a dead letter, in a record the worker can publish)
 * @param commitInterval  how often finished offsets are committed (IMPUSH_WORKER_COMMIT_INTERVAL_MS)
 * @param drainTimeout    how long shutdown and revocation wait for in-flight sends (IMPUSH_WORKER_DRAIN_TIMEOUT_MS)
 * @param dedupeLease     how long a claim holds; longer than a send with its retries (IMPUSH_DEDUPE_LEASE_MS)
 * @param dedupeSentTtl   the longest a sent mark prevents re-sends (IMPUSH_DEDUPE_SENT_TTL_MS): each mark lives
 *                        until its job expires plus 5 minutes, at most this, and marks of jobs without
 *                        expiry this long. The default covers the detector's default message TTL (24 h)
 * @param dedupeLegacyMarks whether claims also read the dedupe keys of releases before the mark-set layout
 *                        (IMPUSH_DEDUPE_LEGACY_MARKS), so marks written before an upgrade still count;
 *                        standalone Redis only
 * @param redisTimeout    a Redis round trip slower than this counts as Redis unavailable (IMPUSH_REDIS_TIMEOUT_MS)
 * @param redisBackoff    after a failed Redis call, how long Redis is left alone (IMPUSH_REDIS_BACKOFF_MS)
 * @param opsPort         health and metrics HTTP port, 0 = ephemeral (IMPUSH_OPS_PORT)
 * @param resilience      retry and breaker settings
 * @param quotas          global per-vendor-app budgets (IMPUSH_&lt;VENDOR&gt;_QPS, _BURST, _DAILY_QUOTA, _QUOTA_ZONE; an
 *                        app's in the apps file from its own keys over them)
 * @param receipts        delivery receipts (IMPUSH_RECEIPTS_*), empty when off
 */
public record WorkerConfig(
        KafkaConnection kafka,
        RedisConnection redis,
        Lanes lanes,
        String feedbackTopic,
        String dlqTopic,
        String groupId,
        String instanceId,
        int maxInFlight,
        int bulkMaxInFlight,
        Duration bulkYieldAge,
        int maxPollRecords,
        int fetchMaxBytes,
        int fetchMinBytes,
        Duration fetchMaxWait,
        int maxJobBytes,
        Duration commitInterval,
        Duration drainTimeout,
        Duration dedupeLease,
        Duration dedupeSentTtl,
        boolean dedupeLegacyMarks,
        Duration redisTimeout,
        Duration redisBackoff,
        int opsPort,
        ResilienceSettings resilience,
        Map<VendorApp, QuotaLimits> quotas,
        Optional<ReceiptSettings> receipts) {
    /** Upper bound of IMPUSH_WORKER_MAX_JOB_BYTES: three quarters of the largest record published. */
    public static final int MAX_JOB_BYTES_CEILING = 768 * 1024;

    public static WorkerConfig fromEnv(Env env) {
        int maxInFlight = env.integer("IMPUSH_WORKER_MAX_IN_FLIGHT", 8_000, 1, 1_000_000);
        RetryTiers tiers = RetryTiers.parse(env.string("IMPUSH_TOPIC_RETRY_PREFIX", Topics.RETRY_PREFIX),
                        env.string("IMPUSH_RETRY_TIERS", Topics.DEFAULT_RETRY_TIERS), "IMPUSH_RETRY_TIERS")
                .withParkPrefix(env.string("IMPUSH_TOPIC_PARK_PREFIX", Topics.PARK_PREFIX));
        return new WorkerConfig(
                KafkaConnection.fromEnv(env),
                RedisConnection.fromEnv(env),
                Lanes.of(env.string("IMPUSH_TOPIC_JOBS", Topics.JOBS),
                        env.string("IMPUSH_TOPIC_JOBS_BULK", Topics.JOBS_BULK), tiers),
                env.string("IMPUSH_TOPIC_FEEDBACK", Topics.FEEDBACK),
                env.string("IMPUSH_TOPIC_DLQ", Topics.DLQ),
                env.string("IMPUSH_WORKER_GROUP", "impush-push-worker"),
                env.string("IMPUSH_WORKER_INSTANCE_ID", hostName()),
                maxInFlight,
                env.integer("IMPUSH_WORKER_BULK_MAX_IN_FLIGHT", Math.max(1, maxInFlight / 16), 1, maxInFlight),
                env.millis("IMPUSH_WORKER_BULK_YIELD_MS", 10),
                env.integer("IMPUSH_WORKER_MAX_POLL_RECORDS", 1_000, 1, 100_000),
                env.integer("IMPUSH_WORKER_FETCH_MAX_BYTES", 256 * 1024, 16 * 1024, 64 << 20),
                env.integer("IMPUSH_WORKER_FETCH_MIN_BYTES", 32 * 1024, 1, 64 << 20),
                Duration.ofMillis(env.integer("IMPUSH_WORKER_FETCH_MAX_WAIT_MS", 10, 0, 10_000)),
                env.integer("IMPUSH_WORKER_MAX_JOB_BYTES", ContractCodec.DEFAULT_MAX_BYTES, 1024, MAX_JOB_BYTES_CEILING),
                env.millis("IMPUSH_WORKER_COMMIT_INTERVAL_MS", 1_000),
                env.millis("IMPUSH_WORKER_DRAIN_TIMEOUT_MS", 20_000),
                env.millis("IMPUSH_DEDUPE_LEASE_MS", 60_000),
                env.millis("IMPUSH_DEDUPE_SENT_TTL_MS", Duration.ofHours(25).toMillis()),
                env.bool("IMPUSH_DEDUPE_LEGACY_MARKS", true),
                env.millis("IMPUSH_REDIS_TIMEOUT_MS", 2_000),
                env.millis("IMPUSH_REDIS_BACKOFF_MS", 1_000),
                env.integer("IMPUSH_OPS_PORT", 8080, 0, 65535),
                ResilienceSettings.fromEnv(env),
                QuotaLimits.fromEnv(env),
                ReceiptSettings.fromEnv(env));
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "push-worker";
        }
    }
}
