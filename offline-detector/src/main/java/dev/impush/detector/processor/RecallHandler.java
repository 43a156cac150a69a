package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserDevices;
import dev.impush.model.event.RecallEvent;
import java.time.Instant;
import java.util.List;

/**
 * Recall: what the detector still holds of the message goes (the wait for its acks, so no device gets
 * a zombie push; its place as the latest message of a coalescing window), and one job goes to every
 * device of the user (not VoIP tokens), online or not: the worker knows which of them the message's
 * push reached, replaces the notification there, and cancels the push where it has not gone out yet.
 * A recall after the message expired finds nothing to recall (the push's dedupe marks are gone).
 */
final class RecallHandler {
    static final String EXPIRED = "recall-expired";
    /** The push of a message recalled before it went out: dropped for this reason. */
    static final String RECALLED = "recalled";

    private final UserState state;
    private final AckTracker acks;
    private final Coalescer coalescer;
    private final JobFactory jobs;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    RecallHandler(UserState state, AckTracker acks, Coalescer coalescer, JobFactory jobs, JobSink sink,
                  DetectorMetrics metrics) {
        this.state = state;
        this.acks = acks;
        this.coalescer = coalescer;
        this.jobs = jobs;
        this.sink = sink;
        this.metrics = metrics;
    }

    void handle(RecallEvent e, Instant now) {
        boolean waited = acks.recalled(e.userId(), e.messageId());
        boolean held = coalescer.recalled(e);
        if (waited || held) {
            metrics.dropped(RECALLED);
        }
        if (!now.isBefore(jobs.expiresAt(e.sentAt(), e.ttlSeconds()))) {
            metrics.dropped(EXPIRED);
            return;
        }
        UserDevices devices = state.devices(e.userId());
        List<RegisteredDevice> targets = devices.byDevice().values().stream().filter(d -> !d.voip()).toList();
        if (targets.isEmpty()) {
            metrics.dropped(MessageHandler.NO_DEVICES);
            return;
        }
        sink.emit(jobs.forRecall(e, targets, now), DetectorMetrics.TRIGGER_RECALL, now);
    }
}
