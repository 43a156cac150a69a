package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserConnections;
import dev.impush.detector.state.UserDevices;
import dev.impush.model.Channel;
import dev.impush.model.event.CallEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Rings a user's devices for a {@code call} invite, and turns the ringing into a missed call on cancel:
 * every VoIP (PushKit) device, and every other device without a live connection, except an iOS alert
 * token of an app that has a VoIP token of the user (that one rings through PushKit). One job per call
 * event, never coalesced and never waited for (no ack tracking): a call rings now or not at all.
 */
final class CallHandler {
    private final UserState state;
    private final Reachability reachability;
    private final JobFactory jobs;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    CallHandler(UserState state, Reachability reachability, JobFactory jobs, JobSink sink, DetectorMetrics metrics) {
        this.state = state;
        this.reachability = reachability;
        this.jobs = jobs;
        this.sink = sink;
        this.metrics = metrics;
    }

    void handle(CallEvent c, Instant now) {
        if (c.action() == CallEvent.Action.INVITE && !now.isBefore(c.at().plusSeconds(c.ringSeconds()))) {
            metrics.dropped(MessageHandler.EXPIRED); // it stopped ringing before it was read
            return;
        }
        UserDevices devices = state.devices(c.userId());
        List<String> voipApps = devices.byDevice().values().stream().filter(RegisteredDevice::voip)
                .map(RegisteredDevice::appId).toList();
        UserConnections connections = state.connections(c.userId());
        List<RegisteredDevice> targets = new ArrayList<>();
        for (RegisteredDevice d : devices.byDevice().values()) {
            boolean ringsThroughVoip = !d.voip() && d.channel() == Channel.APNS && voipApps.contains(d.appId());
            if (d.voip() || !ringsThroughVoip && !reachability.isLive(connections, d.deviceId(), now)) {
                targets.add(d);
            }
        }
        if (targets.isEmpty()) {
            metrics.dropped(devices.isEmpty() ? MessageHandler.NO_DEVICES : MessageHandler.ALL_ONLINE);
            return;
        }
        sink.emit(jobs.forCall(c, targets, now), DetectorMetrics.TRIGGER_CALL, now);
    }
}
