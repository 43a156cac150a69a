package dev.impush.replay;

import java.util.List;

/**
 * Where a replay may republish. A dead letter holds a push job, and only the jobs topics (chat and
 * bulk lanes) and the retry tiers are read as push jobs (a tier record without a due time is due now); a job written
 * anywhere else, a typo or another service's topic, is read by nobody or by a consumer of another
 * contract. So any other topic is refused unless forced.
 *
 * @param jobsTopics the jobs topics of both lanes, as the worker is configured
 * @param tierTopics the retry tiers' topics of both lanes, as the worker is configured
 */
record ReplayTarget(List<String> jobsTopics, List<String> tierTopics) {

    ReplayTarget {
        jobsTopics = List.copyOf(jobsTopics);
        tierTopics = List.copyOf(tierTopics);
    }

    /** The answer for one topic. */
    sealed interface Check {}

    /** A jobs topic or a retry tier. */
    record Allowed(String topic) implements Check {}

    /** Another topic, accepted because of {@code --force}. */
    record Forced(String topic) implements Check {}

    /** Another topic, refused; {@code message} says why and what to do. */
    record Refused(String message) implements Check {}

    Check check(String topic, boolean force) {
        if (jobsTopics.contains(topic) || tierTopics.contains(topic)) {
            return new Allowed(topic);
        }
        if (force) {
            return new Forced(topic);
        }
        return new Refused("refusing to replay into '" + topic + "': it is neither a jobs topic ("
                + String.join(", ", jobsTopics) + ") nor a retry tier (" + String.join(", ", tierTopics) + "), so no worker would read the jobs"
                + " as push jobs. Check --target, $IMPUSH_TOPIC_JOBS and $IMPUSH_RETRY_TIERS, or add --force"
                + " if you mean it.");
    }
}
