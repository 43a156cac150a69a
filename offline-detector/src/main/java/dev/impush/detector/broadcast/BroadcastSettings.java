package dev.impush.detector.broadcast;

import dev.impush.model.Topics;
import dev.impush.model.broadcast.Broadcast;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.time.Duration;

/**
 * How the detector reads and fans out broadcasts.
 *
 * @param topic             {@code IMPUSH_TOPIC_BROADCASTS}, default {@code im.broadcasts}: broadcast commands
 * @param bulkJobsTopic     {@code IMPUSH_TOPIC_JOBS_BULK}, default {@code push.jobs.bulk}: the jobs of the bulk lane
 * @param defaultRate       {@code IMPUSH_DETECTOR_BROADCAST_RATE}, default 10000: devices per second, across all
 *                          partitions, of a broadcast that names no {@code ratePerSecond}
 * @param step              {@code IMPUSH_DETECTOR_BROADCAST_STEP_MS}, default 10 (10 to 10000): how often each task
 *                          emits the next part of its broadcasts; a cancel takes effect within one step
 * @param maxDevicesPerStep {@code IMPUSH_DETECTOR_BROADCAST_MAX_DEVICES_PER_STEP}, default 5000: most devices a task
 *                          emits per step over all its broadcasts, so one step never holds the stream thread long
 * @param retention         {@code IMPUSH_DETECTOR_BROADCAST_RETENTION_H}, default 168: how long after it ended a
 *                          broadcast's id (and its progress) is remembered; the same id sent again within this is ignored
 */
public record BroadcastSettings(String topic, String bulkJobsTopic, long defaultRate, Duration step,
                                int maxDevicesPerStep, Duration retention) {
    public static final String TOPIC_BROADCASTS = "IMPUSH_TOPIC_BROADCASTS";
    public static final String TOPIC_JOBS_BULK = "IMPUSH_TOPIC_JOBS_BULK";
    public static final String RATE = "IMPUSH_DETECTOR_BROADCAST_RATE";
    public static final String STEP_MS = "IMPUSH_DETECTOR_BROADCAST_STEP_MS";
    public static final String MAX_DEVICES_PER_STEP = "IMPUSH_DETECTOR_BROADCAST_MAX_DEVICES_PER_STEP";
    public static final String RETENTION_H = "IMPUSH_DETECTOR_BROADCAST_RETENTION_H";
    public static final BroadcastSettings DEFAULTS = new BroadcastSettings(Topics.BROADCASTS, Topics.JOBS_BULK,
            10_000, Duration.ofMillis(10), 5_000, Duration.ofDays(7));

    public BroadcastSettings {
        if (topic == null || topic.isBlank() || bulkJobsTopic == null || bulkJobsTopic.isBlank()) {
            throw new ConfigException(TOPIC_BROADCASTS + " and " + TOPIC_JOBS_BULK + " must not be empty");
        }
        if (defaultRate < 1 || defaultRate > Broadcast.MAX_RATE) {
            throw new ConfigException(RATE + "=" + defaultRate + " must lie between 1 and " + Broadcast.MAX_RATE);
        }
        if (step == null || step.toMillis() < 10 || step.toMillis() > 10_000) {
            throw new ConfigException(STEP_MS + " must lie between 10 and 10000");
        }
        if (maxDevicesPerStep < 1) {
            throw new ConfigException(MAX_DEVICES_PER_STEP + " must be at least 1");
        }
        if (retention == null || retention.isNegative() || retention.isZero()) {
            throw new ConfigException(RETENTION_H + " must be positive");
        }
    }

    public static BroadcastSettings fromEnv(Env env) {
        return new BroadcastSettings(env.string(TOPIC_BROADCASTS, DEFAULTS.topic),
                env.string(TOPIC_JOBS_BULK, DEFAULTS.bulkJobsTopic),
                env.integer(RATE, (int) DEFAULTS.defaultRate, 1, (int) Broadcast.MAX_RATE),
                Duration.ofMillis(env.integer(STEP_MS, (int) DEFAULTS.step.toMillis(), 10, 10_000)),
                env.integer(MAX_DEVICES_PER_STEP, DEFAULTS.maxDevicesPerStep, 1, 1_000_000),
                Duration.ofHours(env.integer(RETENTION_H, (int) DEFAULTS.retention.toHours(), 1, 24 * 365)));
    }

    public BroadcastSettings withTopic(String v) {
        return new BroadcastSettings(v, bulkJobsTopic, defaultRate, step, maxDevicesPerStep, retention);
    }

    public BroadcastSettings withBulkJobsTopic(String v) {
        return new BroadcastSettings(topic, v, defaultRate, step, maxDevicesPerStep, retention);
    }

    public BroadcastSettings withDefaultRate(long v) {
        return new BroadcastSettings(topic, bulkJobsTopic, v, step, maxDevicesPerStep, retention);
    }

    public BroadcastSettings withMaxDevicesPerStep(int v) {
        return new BroadcastSettings(topic, bulkJobsTopic, defaultRate, step, v, retention);
    }
}
