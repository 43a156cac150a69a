package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserConnections;
import dev.impush.detector.state.UserDevices;
import dev.impush.model.event.MessageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides who gets a push for a new message: registered devices without a live connection get a
 * job now, or are held for their conversation's update ({@link Coalescer}); devices with one are
 * expected to ack over it, so the {@link AckTracker} waits for them.
 */
final class MessageHandler {
    static final String EXPIRED = "expired";
    static final String MUTED = "muted";
    static final String ALL_ONLINE = "all-online";
    static final String NO_DEVICES = "no-devices";

    private final UserState state;
    private final Reachability reachability;
    private final Coalescer coalescer;
    private final Badges badges;
    private final JobFactory jobs;
    private final AckTracker acks;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    MessageHandler(UserState state, Reachability reachability, Coalescer coalescer, Badges badges, JobFactory jobs,
                   AckTracker acks, JobSink sink, DetectorMetrics metrics) {
        this.state = state;
        this.reachability = reachability;
        this.coalescer = coalescer;
        this.badges = badges;
        this.jobs = jobs;
        this.acks = acks;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** {@code at}: the message's time for ack deadlines (see {@link AckClock#read}). */
    void handle(MessageEvent event, Instant now, Instant at) {
        if (jobs.isExpired(event, now)) {
            metrics.dropped(EXPIRED);
            return;
        }
        MessageEvent m = badges.count(event); // unread in a muted conversation too
        if (state.mutes(m.userId()).mutes(m.conversationId(), now)) {
            metrics.dropped(MUTED);
            return;
        }
        UserDevices devices = state.devices(m.userId());
        if (devices.isEmpty()) {
            metrics.dropped(NO_DEVICES);
            return;
        }
        UserConnections connections = state.connections(m.userId());
        List<RegisteredDevice> offline = new ArrayList<>();
        List<RegisteredDevice> online = new ArrayList<>();
        for (RegisteredDevice d : devices.byDevice().values()) {
            if (d.voip()) {
                continue; // a PushKit token gets calls only: iOS ends an app that does not report a call
            }
            (reachability.isLive(connections, d.deviceId(), now) ? online : offline).add(d);
        }
        if (offline.isEmpty()) {
            metrics.dropped(online.isEmpty() ? NO_DEVICES : ALL_ONLINE);
        } else if (!coalescer.held(m, offline, now)) {
            jobs.forMessage(m, offline, now).forEach(job -> sink.emit(job, DetectorMetrics.TRIGGER_MESSAGE, now));
        }
        if (!online.isEmpty()) {
            acks.expect(m, online, at);
        }
    }
}
