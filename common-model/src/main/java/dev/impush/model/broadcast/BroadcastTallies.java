package dev.impush.model.broadcast;

import dev.impush.model.job.PushJob;

/**
 * Where the workers count what became of a broadcast's devices: one Redis hash per broadcast,
 * {@code impush:broadcast:<broadcastId>}, with a field per outcome. The detector names a broadcast's
 * jobs {@code broadcast/<broadcastId>/<userId>} and gives them the broadcast id as message id.
 */
public final class BroadcastTallies {
    /** How every broadcast job's id starts. */
    public static final String JOB_ID_PREFIX = "broadcast/";
    public static final String KEY_PREFIX = "impush:broadcast:";
    /** The vendor accepted the push for the device. */
    public static final String DELIVERED = "delivered";
    /** Dead-lettered: the vendor refused it for good, or retries ran out. */
    public static final String FAILED = "failed";
    /** Not sent, for a stated reason: expired, or the device's token is invalid. */
    public static final String DROPPED = "dropped";

    private BroadcastTallies() {}

    public static String key(String broadcastId) {
        return KEY_PREFIX + broadcastId;
    }

    /** The broadcast {@code job} belongs to, {@code null} for every other job. */
    public static String broadcastOf(PushJob job) {
        return job != null && job.jobId() != null && job.jobId().startsWith(JOB_ID_PREFIX) ? job.messageId() : null;
    }
}
