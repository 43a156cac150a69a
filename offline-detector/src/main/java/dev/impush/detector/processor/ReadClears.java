package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserConnections;
import dev.impush.detector.state.UserReadClears;
import dev.impush.model.Channel;
import dev.impush.model.event.ReadEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Read elsewhere clears: a {@code read} of a conversation sends the user's other devices a background
 * push (data {@code clear} = the conversation, {@code badge} = the unread count left), so their apps
 * remove that conversation's notifications and set the badge. Only devices without a live connection
 * (a connected app syncs the read over it), not the device the read happened on, not VoIP tokens, and
 * only on channels that have a background push. At most one clear per conversation per interval,
 * so a reading spree does not become a push storm.
 */
final class ReadClears {
    /** Channels with a data-only (background) push; vivo and OPPO have none. */
    static final Set<Channel> WITH_BACKGROUND_PUSH = EnumSet.of(Channel.APNS, Channel.FCM, Channel.XIAOMI,
            Channel.HUAWEI, Channel.HONOR, Channel.MEIZU, Channel.HARMONY);
    static final String THROTTLED = "read-clear-throttled";

    private final Duration interval;
    private final UserState state;
    private final Reachability reachability;
    private final JobFactory jobs;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    ReadClears(Duration interval, UserState state, Reachability reachability, JobFactory jobs, JobSink sink,
               DetectorMetrics metrics) {
        this.interval = interval;
        this.state = state;
        this.reachability = reachability;
        this.jobs = jobs;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** After the read lowered the badge: {@code unread} is the user's unread count now. */
    void handle(ReadEvent e, int unread, Instant now) {
        if (interval.isZero()) {
            return;
        }
        UserConnections connections = state.connections(e.userId());
        List<RegisteredDevice> targets = new ArrayList<>();
        for (RegisteredDevice d : state.devices(e.userId()).byDevice().values()) {
            if (!d.voip() && !d.deviceId().equals(e.deviceId()) && WITH_BACKGROUND_PUSH.contains(d.channel())
                    && !reachability.isLive(connections, d.deviceId(), now)) {
                targets.add(d);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        UserReadClears clears = state.readClears(e.userId());
        if (clears.clearedWithin(e.conversationId(), now, interval)) {
            metrics.dropped(THROTTLED);
            return;
        }
        state.put(e.userId(), clears.cleared(e.conversationId(), now, interval));
        sink.emit(jobs.forReadClear(e, unread, targets, now), DetectorMetrics.TRIGGER_READ, now);
    }
}
