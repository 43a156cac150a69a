package dev.impush.worker.dedupe;

/**
 * One notification to one device. The Redis key hash-tags the user id, so a user's keys share a
 * Redis Cluster slot.
 */
public record DedupeKey(String userId, String messageId, String deviceId) {
    String redisKey() {
        return "impush:dd:{" + userId + "}:" + messageId + ":" + deviceId;
    }
}
