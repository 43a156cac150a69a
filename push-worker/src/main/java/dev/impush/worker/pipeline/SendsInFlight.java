package dev.impush.worker.pipeline;

import dev.impush.model.dedupe.DedupeKey;
import dev.impush.worker.dedupe.Dedupe;
import dev.impush.worker.dedupe.DedupeUnavailableException;
import dev.impush.worker.metrics.WorkerMetrics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys this worker is sending now, each with the duplicates that arrived while it was sent,
 * and the renewal of their claims. Poll thread only.
 */
final class SendsInFlight {
    private static final Logger LOG = LoggerFactory.getLogger(SendsInFlight.class);
    private final Map<DedupeKey, List<Send>> sending = new HashMap<>();
    /** Sends the vendor answered whose transitions are on their way: their claims are not renewed. */
    private final Set<DedupeKey> answered = new HashSet<>();
    /** Epoch ms at which the claims are next renewed. */
    private long renewAt;

    boolean has(DedupeKey key) {
        return sending.containsKey(key);
    }

    void started(DedupeKey key) {
        sending.put(key, new ArrayList<>(0));
    }

    /** {@code duplicate} waits for the send of its key in flight. */
    void waitFor(Send duplicate) {
        sending.get(duplicate.key()).add(duplicate);
    }

    /** The vendor answered the send of {@code key}: its transition ends the claim, not a renewal. */
    void answered(DedupeKey key) {
        answered.add(key);
    }

    /** The send of {@code key} ended: the duplicates that waited for it. */
    List<Send> ended(DedupeKey key) {
        answered.remove(key);
        return sending.remove(key);
    }

    int size() {
        return sending.size();
    }

    /**
     * Every third of a lease, extends the claims of the sends in flight, so one that waits longer
     * than a lease (a quota queue, in-process retries) keeps its key: without it a rebalance or a
     * redelivered duplicate could claim the key and send again.
     */
    void renewIfDue(Dedupe dedupe, long now, WorkerMetrics metrics) throws DedupeUnavailableException {
        if (now < renewAt || sending.isEmpty()) {
            return;
        }
        renewAt = now + Math.max(1, dedupe.lease().toMillis() / 3);
        List<DedupeKey> keys = new ArrayList<>(sending.keySet());
        keys.removeAll(answered); // a mark may have reached Redis already: it is no claim of ours to renew
        if (keys.isEmpty()) {
            return;
        }
        List<Boolean> held = dedupe.renew(keys);
        for (int i = 0; i < keys.size(); i++) {
            if (!held.get(i)) {
                metrics.claimLost();
                LOG.warn("claim of {} to {} ran out while its send waited; another worker may send it too",
                        keys.get(i).messageId(), keys.get(i).deviceId());
            }
        }
    }
}
