package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.logic.Liveness;
import dev.impush.detector.state.Connection;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserConnections;
import dev.impush.detector.state.UserDevices;
import dev.impush.model.event.MessageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides who gets a push for a new message: registered devices without a live connection get a
 * job now; devices with one are expected to ack over it, so the {@link AckTracker} waits for them.
 */
final class MessageHandler {
    static final String EXPIRED = "expired";
    static final String MUTED = "muted";
    static final String ALL_ONLINE = "all-online";
    static final String NO_DEVICES = "no-devices";

    private final UserState state;
    private final Liveness liveness;
    private final JobFactory jobs;
    private final AckTracker acks;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    MessageHandler(UserState state, Liveness liveness, JobFactory jobs, AckTracker acks, JobSink sink,
                   DetectorMetrics metrics) {
        this.state = state;
        this.liveness = liveness;
        this.jobs = jobs;
        this.acks = acks;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** {@code at}: the message's time for ack deadlines (see {@link AckClock#read}). */
    void handle(MessageEvent m, Instant now, Instant at) {
        if (jobs.isExpired(m, now)) {
            metrics.dropped(EXPIRED);
            return;
        }
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
            Connection c = connections.get(d.deviceId()).orElse(null);
            boolean live = c != null && liveness.isLive(c, state.lease(c.gatewayId()), now);
            (live ? online : offline).add(d);
        }
        if (offline.isEmpty()) {
            metrics.dropped(ALL_ONLINE);
        } else {
            jobs.forMessage(m, offline, now).forEach(job -> sink.emit(job, DetectorMetrics.TRIGGER_MESSAGE, now));
        }
        if (!online.isEmpty()) {
            acks.expect(m, online, at);
        }
    }
}
