package dev.impush.detector.broadcast;

import dev.impush.detector.logic.CollapseIds;
import dev.impush.detector.logic.JobFactory;
import dev.impush.model.Lane;
import dev.impush.model.Priority;
import dev.impush.model.broadcast.Broadcast;
import dev.impush.model.broadcast.BroadcastContent;
import dev.impush.model.broadcast.BroadcastTallies;
import dev.impush.model.job.Notification;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The push job of a broadcast for one user: job id {@code broadcast/<broadcastId>/<userId>}, so the
 * worker's dedupe holds each (broadcast, device) to one notification whatever emits the job twice.
 */
public final class BroadcastJobs {
    public static final String JOB_ID_PREFIX = BroadcastTallies.JOB_ID_PREFIX;
    /** The data key under which every broadcast push carries its broadcast id. */
    public static final String BROADCAST_ID_KEY = "broadcastId";

    private BroadcastJobs() {}

    public static String jobId(String broadcastId, String userId) {
        return JOB_ID_PREFIX + broadcastId + "/" + userId;
    }

    /** The notification every device of the broadcast shows. */
    static Notification notification(Broadcast b) {
        BroadcastContent c = b.notification();
        Map<String, String> data = new LinkedHashMap<>(c.data());
        data.put(Notification.MESSAGE_ID_KEY, b.broadcastId());
        data.put(BROADCAST_ID_KEY, b.broadcastId());
        if (c.route() != null) {
            data.put(BroadcastContent.ROUTE_KEY, c.route());
        }
        String sound = c.silent() ? null : c.sound() != null ? c.sound() : JobFactory.DEFAULT_SOUND;
        // bulk pushes let the OS batch for power; a notice on the chat lane is as urgent as a message
        Priority priority = b.laneOrDefault() == Lane.CHAT ? Priority.HIGH : Priority.NORMAL;
        return new Notification(c.title(), c.body() == null ? "" : c.body(), null, sound,
                CollapseIds.of(b.broadcastId()), null, priority, c.silent(), data);
    }
}
