package dev.impush.detector;

import dev.impush.detector.broadcast.BroadcastSettings;
import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.detector.state.UserLimits;
import dev.impush.model.Topics;
import dev.impush.model.event.MessageEvent;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.runtime.kafka.KafkaConnection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Immutable configuration of the offline detector, validated when built.
 *
 * <p>Read it from the environment with {@link #fromEnv(Env)}, or build one in code with
 * {@link #builder()}, which starts from the same defaults.
 *
 * @param kafka                how to reach Kafka: {@code IMPUSH_KAFKA_BOOTSTRAP} (default
 *                             {@code localhost:9092}), TLS, SASL and settings passed through
 * @param eventsTopic          {@code IMPUSH_TOPIC_EVENTS}, default {@code im.events}
 * @param gatewaysTopic        {@code IMPUSH_TOPIC_GATEWAYS}, default {@code im.gateways}
 * @param jobsTopic            {@code IMPUSH_TOPIC_JOBS}, default {@code push.jobs}
 * @param feedbackTopic        {@code IMPUSH_TOPIC_FEEDBACK}, default {@code push.feedback}
 * @param dlqTopic             {@code IMPUSH_TOPIC_DLQ}, default {@code push.dlq}
 * @param applicationId        {@code IMPUSH_DETECTOR_APP_ID}, default {@code impush-offline-detector}: the
 *                             Kafka Streams application id (consumer group, prefix of internal topics)
 * @param stateDir             {@code IMPUSH_DETECTOR_STATE_DIR}, default {@code <java.io.tmpdir>/impush-offline-detector};
 *                             each instance on one host needs its own
 * @param streamThreads        {@code IMPUSH_DETECTOR_THREADS}, default 1
 * @param replicationFactor    {@code IMPUSH_DETECTOR_REPLICATION_FACTOR}, default 3: replicas of the changelog and
 *                             repartition topics Streams creates, capped at start by the brokers there are
 * @param misplacedEvents      {@code IMPUSH_DETECTOR_MISPLACED_EVENTS}, default {@code reroute}: what happens to an
 *                             event on another partition than Kafka's default partitioner gives its user id
 *                             (see {@link MisplacedEvents})
 * @param ackTracking          {@code IMPUSH_DETECTOR_ACK_TRACKING}, default {@code routed}: which event starts an
 *                             ack deadline (see {@link AckTracking})
 * @param ackTimeout           {@code IMPUSH_DETECTOR_ACK_TIMEOUT_MS}, default 10000: how long a message
 *                             delivered over a long connection may stay un-acked before the device is pushed,
 *                             in the time of the events (their record timestamps), not the detector's clock
 * @param ackGrace             {@code IMPUSH_DETECTOR_ACK_GRACE_MS}, default 2000 (0 to 60000): how long after an
 *                             event's time its record may still reach the broker behind later ones (producer
 *                             latency, reconnecting after a broker outage, clock skew between producers). A
 *                             deadline fires only once the detector has read its input up to the deadline
 *                             plus this (see {@code AckClock})
 * @param punctuateInterval    {@code IMPUSH_DETECTOR_PUNCTUATE_MS}, default 1000: how often pending acks are
 *                             scanned, and how often the broker is asked how far the detector has read
 * @param defaultTtl           {@code IMPUSH_DETECTOR_DEFAULT_TTL_S}, default 86400 (at most 28 days): message lifetime when it says {@code ttlSeconds: 0}
 * @param requireGatewayLease  {@code IMPUSH_DETECTOR_REQUIRE_GATEWAY_LEASE}, default false: when true a
 *                             connection on a gateway without a lease record counts as down
 * @param connectionMaxAge     {@code IMPUSH_DETECTOR_CONNECTION_MAX_AGE_S}, default 604800 (60 s to 30 days): a
 *                             connection reported longer ago than this counts as down unless a newer presence
 *                             event refreshed it, or its gateway's lease names the incarnation that reported it
 *                             (see {@link dev.impush.detector.logic.Liveness})
 * @param maxClockSkew         {@code IMPUSH_DETECTOR_MAX_CLOCK_SKEW_S}, default 300 (0 to 3600): how far a gateway
 *                             heartbeat's record timestamp may lag the detector's clock and still count as
 *                             received now; also how much older than the stored lease a restarted gateway's
 *                             first heartbeat may be (see {@link dev.impush.detector.logic.LeaseReceipt})
 * @param commitInterval       {@code IMPUSH_DETECTOR_COMMIT_INTERVAL_MS}, default 100: with exactly-once,
 *                             jobs become visible to the workers only at commit, so this bounds added latency
 * @param opsPort              {@code IMPUSH_OPS_PORT}, default 8081: health and metrics HTTP port
 * @param limits               what is kept per user ({@code IMPUSH_DETECTOR_MAX_*_PER_USER}, see {@link UserLimits})
 * @param contentFreeApps      {@code IMPUSH_DETECTOR_CONTENT_FREE_APPS}, default none: app ids (comma-separated) whose
 *                             pushes carry ids only, for end-to-end encrypted messengers
 * @param readClearInterval    {@code IMPUSH_DETECTOR_READ_CLEAR_MS}, default 10000 (0 turns it off, at most 3600000):
 *                             a {@code read} clears the conversation's notifications on the user's other
 *                             devices at most once per this
 * @param unreadBadge          {@code IMPUSH_DETECTOR_UNREAD_BADGE}, default true: messages without a {@code badge}
 *                             are counted as unread per conversation until a {@code read}, and carry the user's
 *                             total as their badge
 * @param coalescing           group-storm coalescing ({@code IMPUSH_DETECTOR_COALESCE_*}, see {@link CoalesceSettings})
 * @param broadcasts           how broadcasts are read and fanned out ({@code IMPUSH_TOPIC_BROADCASTS},
 *                             {@code IMPUSH_DETECTOR_BROADCAST_*}, see {@link BroadcastSettings})
 */
public record DetectorConfig(
        KafkaConnection kafka,
        String eventsTopic,
        String gatewaysTopic,
        String jobsTopic,
        String feedbackTopic,
        String dlqTopic,
        String applicationId,
        Path stateDir,
        int streamThreads,
        int replicationFactor,
        MisplacedEvents misplacedEvents,
        AckTracking ackTracking,
        Duration ackTimeout,
        Duration ackGrace,
        Duration punctuateInterval,
        Duration defaultTtl,
        boolean requireGatewayLease,
        Duration connectionMaxAge,
        Duration maxClockSkew,
        Duration commitInterval,
        int opsPort,
        UserLimits limits,
        Set<String> contentFreeApps,
        Duration readClearInterval,
        boolean unreadBadge,
        CoalesceSettings coalescing,
        BroadcastSettings broadcasts) {

    public static final String KAFKA_BOOTSTRAP = "IMPUSH_KAFKA_BOOTSTRAP";
    public static final String TOPIC_EVENTS = "IMPUSH_TOPIC_EVENTS";
    public static final String TOPIC_GATEWAYS = "IMPUSH_TOPIC_GATEWAYS";
    public static final String TOPIC_JOBS = "IMPUSH_TOPIC_JOBS";
    public static final String TOPIC_FEEDBACK = "IMPUSH_TOPIC_FEEDBACK";
    public static final String TOPIC_DLQ = "IMPUSH_TOPIC_DLQ";
    public static final String APP_ID = "IMPUSH_DETECTOR_APP_ID";
    public static final String STATE_DIR = "IMPUSH_DETECTOR_STATE_DIR";
    public static final String THREADS = "IMPUSH_DETECTOR_THREADS";
    public static final String REPLICATION_FACTOR = "IMPUSH_DETECTOR_REPLICATION_FACTOR";
    public static final String MISPLACED_EVENTS = "IMPUSH_DETECTOR_MISPLACED_EVENTS";
    public static final String ACK_TRACKING = "IMPUSH_DETECTOR_ACK_TRACKING";
    public static final String ACK_TIMEOUT_MS = "IMPUSH_DETECTOR_ACK_TIMEOUT_MS";
    public static final String ACK_GRACE_MS = "IMPUSH_DETECTOR_ACK_GRACE_MS";
    public static final String PUNCTUATE_MS = "IMPUSH_DETECTOR_PUNCTUATE_MS";
    public static final String DEFAULT_TTL_S = "IMPUSH_DETECTOR_DEFAULT_TTL_S";
    public static final String REQUIRE_GATEWAY_LEASE = "IMPUSH_DETECTOR_REQUIRE_GATEWAY_LEASE";
    public static final String CONNECTION_MAX_AGE_S = "IMPUSH_DETECTOR_CONNECTION_MAX_AGE_S";
    public static final String MAX_CLOCK_SKEW_S = "IMPUSH_DETECTOR_MAX_CLOCK_SKEW_S";
    public static final String COMMIT_INTERVAL_MS = "IMPUSH_DETECTOR_COMMIT_INTERVAL_MS";
    public static final String OPS_PORT = "IMPUSH_OPS_PORT";
    public static final String MAX_DEVICES = "IMPUSH_DETECTOR_MAX_DEVICES_PER_USER";
    public static final String MAX_MUTES = "IMPUSH_DETECTOR_MAX_MUTES_PER_USER";
    public static final String MAX_PENDING_BYTES = "IMPUSH_DETECTOR_MAX_PENDING_BYTES_PER_USER";
    public static final String UNREAD_BADGE = "IMPUSH_DETECTOR_UNREAD_BADGE";
    public static final String CONTENT_FREE_APPS = "IMPUSH_DETECTOR_CONTENT_FREE_APPS";
    public static final String READ_CLEAR_MS = "IMPUSH_DETECTOR_READ_CLEAR_MS";
    /** Exactly-once output becomes visible at commit: this is the latency the detector adds. */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(50);
    public static final Duration DEFAULT_CONNECTION_MAX_AGE = Duration.ofDays(7);
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /**
     * Covers a producer's own latency (linger, a retry) and its reconnection after a broker outage
     * (the Kafka client backs off at most 1 s between attempts) plus NTP-level clock skew.
     */
    public static final Duration DEFAULT_ACK_GRACE = Duration.ofSeconds(2);
    public static final Duration MAX_ACK_GRACE = Duration.ofMinutes(1);

    public DetectorConfig {
        Objects.requireNonNull(kafka, "kafka");
        requireText(TOPIC_EVENTS, eventsTopic);
        requireText(TOPIC_GATEWAYS, gatewaysTopic);
        requireText(TOPIC_JOBS, jobsTopic);
        requireText(TOPIC_FEEDBACK, feedbackTopic);
        requireText(TOPIC_DLQ, dlqTopic);
        requireText(APP_ID, applicationId);
        Objects.requireNonNull(stateDir, STATE_DIR);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(broadcasts, "broadcasts");
        Objects.requireNonNull(coalescing, "coalescing");
        contentFreeApps = Set.copyOf(Objects.requireNonNull(contentFreeApps, CONTENT_FREE_APPS));
        Objects.requireNonNull(readClearInterval, READ_CLEAR_MS);
        if (readClearInterval.isNegative() || readClearInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigException(READ_CLEAR_MS + " must lie between 0 and 3600000");
        }
        Objects.requireNonNull(misplacedEvents, MISPLACED_EVENTS);
        Objects.requireNonNull(ackTracking, ACK_TRACKING);
        requirePositive(ACK_TIMEOUT_MS, ackTimeout);
        Objects.requireNonNull(ackGrace, ACK_GRACE_MS);
        if (ackGrace.isNegative() || ackGrace.compareTo(MAX_ACK_GRACE) > 0) {
            throw new ConfigException(ACK_GRACE_MS + "=" + ackGrace.toMillis() + " must lie between 0 and "
                    + MAX_ACK_GRACE.toMillis());
        }
        requirePositive(PUNCTUATE_MS, punctuateInterval);
        requirePositive(DEFAULT_TTL_S, defaultTtl);
        requirePositive(CONNECTION_MAX_AGE_S, connectionMaxAge);
        Objects.requireNonNull(maxClockSkew, MAX_CLOCK_SKEW_S);
        if (maxClockSkew.isNegative()) {
            throw new ConfigException(MAX_CLOCK_SKEW_S + " must not be negative");
        }
        Objects.requireNonNull(commitInterval, COMMIT_INTERVAL_MS);
        if (commitInterval.isNegative()) {
            throw new ConfigException(COMMIT_INTERVAL_MS + " must not be negative");
        }
        if (streamThreads < 1) {
            throw new ConfigException(THREADS + "=" + streamThreads + " must be at least 1");
        }
        if (opsPort < 0 || opsPort > 65535) {
            throw new ConfigException(OPS_PORT + "=" + opsPort + " is not a port");
        }
    }

    /** Reads every setting from {@code env}, falling back to the defaults above. */
    public static DetectorConfig fromEnv(Env env) {
        return builder()
                .kafka(KafkaConnection.fromEnv(env))
                .eventsTopic(env.string(TOPIC_EVENTS, Topics.EVENTS))
                .gatewaysTopic(env.string(TOPIC_GATEWAYS, Topics.GATEWAYS))
                .jobsTopic(env.string(TOPIC_JOBS, Topics.JOBS))
                .feedbackTopic(env.string(TOPIC_FEEDBACK, Topics.FEEDBACK))
                .dlqTopic(env.string(TOPIC_DLQ, Topics.DLQ))
                .applicationId(env.string(APP_ID, Builder.DEFAULT_APP_ID))
                .stateDir(env.optional(STATE_DIR).map(Path::of).orElse(Builder.defaultStateDir()))
                .streamThreads(env.integer(THREADS, 1, 1, 64))
                .replicationFactor(env.integer(REPLICATION_FACTOR, 3, 1, 32))
                .misplacedEvents(MisplacedEvents.parse(MISPLACED_EVENTS,
                        env.string(MISPLACED_EVENTS, MisplacedEvents.REROUTE.wireName())))
                .ackTracking(AckTracking.parse(ACK_TRACKING, env.string(ACK_TRACKING, AckTracking.ROUTED.wireName())))
                .ackTimeout(env.millis(ACK_TIMEOUT_MS, 10_000))
                .ackGrace(env.millis(ACK_GRACE_MS, DEFAULT_ACK_GRACE.toMillis()))
                .punctuateInterval(env.millis(PUNCTUATE_MS, 1_000))
                .defaultTtl(Duration.ofSeconds(env.integer(DEFAULT_TTL_S, 86_400, 1, (int) MessageEvent.MAX_TTL_SECONDS)))
                .requireGatewayLease(env.bool(REQUIRE_GATEWAY_LEASE, false))
                .connectionMaxAge(Duration.ofSeconds(env.integer(CONNECTION_MAX_AGE_S,
                        (int) DEFAULT_CONNECTION_MAX_AGE.toSeconds(), 60, 30 * 86_400)))
                .maxClockSkew(Duration.ofSeconds(env.integer(MAX_CLOCK_SKEW_S,
                        (int) DEFAULT_MAX_CLOCK_SKEW.toSeconds(), 0, 3600)))
                .commitInterval(env.millis(COMMIT_INTERVAL_MS, DEFAULT_COMMIT_INTERVAL.toMillis()))
                .opsPort(env.integer(OPS_PORT, 8081, 0, 65535))
                .limits(new UserLimits(
                        env.integer(MAX_DEVICES, UserLimits.DEFAULTS.maxDevices(), 1, UserLimits.DEVICES_CEILING),
                        env.integer(MAX_MUTES, UserLimits.DEFAULTS.maxMutes(), 1, UserLimits.MUTES_CEILING),
                        env.integer(MAX_PENDING_BYTES, UserLimits.DEFAULTS.maxPendingBytes(), 1,
                                UserLimits.PENDING_BYTES_CEILING)))
                .contentFreeApps(Arrays.stream(env.string(CONTENT_FREE_APPS, "").split(",")).map(String::strip)
                        .filter(a -> !a.isEmpty()).collect(Collectors.toSet()))
                .readClearInterval(Duration.ofMillis(env.integer(READ_CLEAR_MS, 10_000, 0, 3_600_000)))
                .unreadBadge(env.bool(UNREAD_BADGE, true))
                .coalescing(CoalesceSettings.fromEnv(env))
                .broadcasts(BroadcastSettings.fromEnv(env))
                .build();
    }

    /** A builder holding the defaults; set what differs and {@link Builder#build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireText(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key + " must not be empty");
        }
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new ConfigException(key + " must be positive");
        }
    }

    /** Mutable, not thread-safe; {@link #build()} validates. */
    public static final class Builder {
        static final String DEFAULT_APP_ID = "impush-offline-detector";

        private KafkaConnection kafka = KafkaConnection.plaintext(KafkaConnection.DEFAULT_BOOTSTRAP);
        private String eventsTopic = Topics.EVENTS;
        private String gatewaysTopic = Topics.GATEWAYS;
        private String jobsTopic = Topics.JOBS;
        private String feedbackTopic = Topics.FEEDBACK;
        private String dlqTopic = Topics.DLQ;
        private String applicationId = DEFAULT_APP_ID;
        private Path stateDir = defaultStateDir();
        private int streamThreads = 1;
        private int replicationFactor = 3;
        private MisplacedEvents misplacedEvents = MisplacedEvents.REROUTE;
        private AckTracking ackTracking = AckTracking.ROUTED;
        private Duration ackTimeout = Duration.ofSeconds(10);
        private Duration ackGrace = DEFAULT_ACK_GRACE;
        private Duration punctuateInterval = Duration.ofSeconds(1);
        private Duration defaultTtl = Duration.ofDays(1);
        private boolean requireGatewayLease = false;
        private Duration connectionMaxAge = DEFAULT_CONNECTION_MAX_AGE;
        private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
        private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
        private int opsPort = 8081;
        private UserLimits limits = UserLimits.DEFAULTS;
        private Set<String> contentFreeApps = Set.of();
        private Duration readClearInterval = Duration.ofSeconds(10);
        private boolean unreadBadge = true;
        private CoalesceSettings coalescing = CoalesceSettings.DEFAULTS;
        private BroadcastSettings broadcasts = BroadcastSettings.DEFAULTS;

        private Builder() {}

        private Builder(DetectorConfig c) {
            kafka = c.kafka;
            eventsTopic = c.eventsTopic;
            gatewaysTopic = c.gatewaysTopic;
            jobsTopic = c.jobsTopic;
            feedbackTopic = c.feedbackTopic;
            dlqTopic = c.dlqTopic;
            applicationId = c.applicationId;
            stateDir = c.stateDir;
            streamThreads = c.streamThreads;
            replicationFactor = c.replicationFactor;
            misplacedEvents = c.misplacedEvents;
            ackTracking = c.ackTracking;
            ackTimeout = c.ackTimeout;
            ackGrace = c.ackGrace;
            punctuateInterval = c.punctuateInterval;
            defaultTtl = c.defaultTtl;
            requireGatewayLease = c.requireGatewayLease;
            connectionMaxAge = c.connectionMaxAge;
            maxClockSkew = c.maxClockSkew;
            commitInterval = c.commitInterval;
            opsPort = c.opsPort;
            limits = c.limits;
            contentFreeApps = c.contentFreeApps;
            readClearInterval = c.readClearInterval;
            unreadBadge = c.unreadBadge;
            coalescing = c.coalescing;
            broadcasts = c.broadcasts;
        }

        static Path defaultStateDir() {
            return Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_APP_ID);
        }

        public Builder kafka(KafkaConnection v) { kafka = v; return this; }
        /** A plaintext connection to {@code v}. */
        public Builder bootstrapServers(String v) { kafka = KafkaConnection.plaintext(v); return this; }
        public Builder eventsTopic(String v) { eventsTopic = v; return this; }
        public Builder gatewaysTopic(String v) { gatewaysTopic = v; return this; }
        public Builder jobsTopic(String v) { jobsTopic = v; return this; }
        public Builder feedbackTopic(String v) { feedbackTopic = v; return this; }
        public Builder dlqTopic(String v) { dlqTopic = v; return this; }
        public Builder applicationId(String v) { applicationId = v; return this; }
        public Builder stateDir(Path v) { stateDir = v; return this; }
        public Builder streamThreads(int v) { streamThreads = v; return this; }
        public Builder replicationFactor(int v) { replicationFactor = v; return this; }
        public Builder misplacedEvents(MisplacedEvents v) { misplacedEvents = v; return this; }
        public Builder ackTracking(AckTracking v) { ackTracking = v; return this; }
        public Builder ackTimeout(Duration v) { ackTimeout = v; return this; }
        public Builder ackGrace(Duration v) { ackGrace = v; return this; }
        public Builder punctuateInterval(Duration v) { punctuateInterval = v; return this; }
        public Builder defaultTtl(Duration v) { defaultTtl = v; return this; }
        public Builder requireGatewayLease(boolean v) { requireGatewayLease = v; return this; }
        public Builder connectionMaxAge(Duration v) { connectionMaxAge = v; return this; }
        public Builder maxClockSkew(Duration v) { maxClockSkew = v; return this; }
        public Builder commitInterval(Duration v) { commitInterval = v; return this; }
        public Builder opsPort(int v) { opsPort = v; return this; }
        public Builder limits(UserLimits v) { limits = v; return this; }
        public Builder contentFreeApps(Set<String> v) { contentFreeApps = v; return this; }
        public Builder readClearInterval(Duration v) { readClearInterval = v; return this; }
        public Builder unreadBadge(boolean v) { unreadBadge = v; return this; }
        public Builder coalescing(CoalesceSettings v) { coalescing = v; return this; }
        public Builder broadcasts(BroadcastSettings v) { broadcasts = v; return this; }

        public DetectorConfig build() {
            return new DetectorConfig(kafka, eventsTopic, gatewaysTopic, jobsTopic, feedbackTopic,
                    dlqTopic, applicationId, stateDir, streamThreads, replicationFactor, misplacedEvents, ackTracking, ackTimeout, ackGrace, punctuateInterval,
                    defaultTtl,
                    requireGatewayLease, connectionMaxAge, maxClockSkew, commitInterval, opsPort, limits,
                    contentFreeApps, readClearInterval, unreadBadge, coalescing, broadcasts);
        }
    }
}
