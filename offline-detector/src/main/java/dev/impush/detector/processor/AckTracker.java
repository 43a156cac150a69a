package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.PendingMessage;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserDevices;
import dev.impush.detector.state.UserPending;
import dev.impush.model.event.AckedEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.RoutedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Zombie-connection detection. A message routed to a long connection must be acked within the ack
 * timeout; when it is not, the connection is presumed dead (the gateway has not noticed yet) and
 * the device is pushed. Deadlines are wall-clock based on the detector's own clock, not on the
 * event's {@code at}: when the detector catches up on a backlog, event times lie in the past and
 * would fire a zombie push for every message.
 */
final class AckTracker {
    static final String ACK_TIMEOUT = "ack-timeout";

    private final UserState state;
    private final JobFactory jobs;
    private final Duration ackTimeout;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    AckTracker(UserState state, JobFactory jobs, Duration ackTimeout, JobSink sink, DetectorMetrics metrics) {
        this.state = state;
        this.jobs = jobs;
        this.ackTimeout = ackTimeout;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** (Re)starts the device's ack deadline, if the message is one the detector is tracking. */
    void routed(RoutedEvent e, Instant now) {
        UserPending pending = state.pending(e.userId());
        pending.get(e.messageId()).ifPresent(message ->
                state.put(e.userId(), pending.put(message.withDeadline(e.deviceId(), now.plus(ackTimeout)))));
    }

    void acked(AckedEvent e) {
        UserPending pending = state.pending(e.userId());
        pending.get(e.messageId()).ifPresent(message ->
                state.put(e.userId(), pending.put(message.without(e.deviceId()))));
    }

    /** Pushes every device past its deadline and forgets it; forgets messages that expired meanwhile. */
    void punctuate(Instant now) {
        for (Map.Entry<String, UserPending> entry : state.allPending()) {
            String userId = entry.getKey();
            UserPending pending = entry.getValue();
            UserPending next = pending;
            for (PendingMessage message : pending.byMessage().values()) {
                if (jobs.isExpired(message.message(), now)) {
                    next = next.remove(message.message().messageId());
                    continue;
                }
                PendingMessage remaining = message;
                for (Map.Entry<String, Instant> deadline : message.deadlines().entrySet()) {
                    if (now.isBefore(deadline.getValue())) {
                        continue;
                    }
                    pushZombie(message.message(), deadline.getKey(), now);
                    remaining = remaining.without(deadline.getKey());
                }
                next = next.put(remaining);
            }
            if (!next.equals(pending)) {
                state.put(userId, next);
            }
        }
    }

    private void pushZombie(MessageEvent m, String deviceId, Instant now) {
        UserDevices devices = state.devices(m.userId());
        RegisteredDevice device = devices.get(deviceId).orElse(null);
        if (device == null) {
            return;
        }
        if (state.mutes(m.userId()).mutes(m.conversationId(), now)) {
            metrics.dropped(MessageHandler.MUTED);
            return;
        }
        sink.emit(jobs.forZombie(m, device, now), DetectorMetrics.TRIGGER_ACK_TIMEOUT, now);
    }
}
