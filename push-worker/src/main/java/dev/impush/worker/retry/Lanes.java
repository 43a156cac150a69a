package dev.impush.worker.retry;

import dev.impush.model.Channel;
import dev.impush.model.Lane;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The worker's topics by {@link Lane}: each lane has its jobs topic, retry tiers and parking topics
 * (the bulk lane's tiers and parking topics named with {@code bulk.} after the prefix). A record's
 * lane is its topic's, and its retries stay in that lane.
 *
 * @param chatJobs the chat lane's jobs topic ({@code push.jobs})
 * @param bulkJobs the bulk lane's jobs topic ({@code push.jobs.bulk})
 * @param chat     the chat lane's ladder
 * @param bulk     the bulk lane's ladder
 */
public record Lanes(String chatJobs, String bulkJobs, RetryTiers chat, RetryTiers bulk) {

    /** Both lanes on the ladder {@code tiers} (the chat lane's names; the bulk lane's derived). */
    public static Lanes of(String chatJobs, String bulkJobs, RetryTiers tiers) {
        return new Lanes(chatJobs, bulkJobs, tiers, tiers.forLane(Lane.BULK));
    }

    /** The lane whose jobs, tier or parking topic {@code topic} is (chat for any other). */
    public Lane laneOf(String topic) {
        return topic.equals(bulkJobs) || topic.startsWith(bulk.retryPrefix()) || topic.startsWith(bulk.parkPrefix())
                ? Lane.BULK : Lane.CHAT;
    }

    public RetryTiers tiers(Lane lane) {
        return lane == Lane.BULK ? bulk : chat;
    }

    /** A tier (of either lane, current or former) or a parking topic: its records wait until due. */
    public boolean isDelayed(String topic) {
        return chat.isDelayed(topic) || bulk.isDelayed(topic);
    }

    /** The channel whose parking topic (of either lane) {@code topic} is; {@code null} for any other topic. */
    public Channel parkedChannel(String topic) {
        Channel bulkParked = bulk.parkedChannel(topic);
        return bulkParked != null ? bulkParked : chat.parkedChannel(topic);
    }

    /** Both jobs topics, every tier, and the parking topics of {@code channels}, in both lanes. */
    public List<String> topics(Collection<Channel> channels) {
        List<String> topics = new ArrayList<>(List.of(chatJobs, bulkJobs));
        for (RetryTiers lane : List.of(chat, bulk)) {
            topics.addAll(lane.topics());
            topics.addAll(lane.parkTopics(channels));
        }
        return topics;
    }

    /** Tier topics of an earlier ladder among {@code existing}, in both lanes (see {@link RetryTiers#formerTiers}). */
    public List<String> formerTiers(Collection<String> existing) {
        List<String> former = new ArrayList<>(chat.formerTiers(existing));
        former.addAll(bulk.formerTiers(existing));
        return former;
    }
}
