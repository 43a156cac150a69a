package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.AckDeadline;
import dev.impush.detector.state.PendingMessage;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserPending;
import dev.impush.model.event.AckedEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.RoutedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * Zombie-connection detection. A message for a device with a live connection must be acked within
 * the ack timeout; when it is not, the connection is presumed dead (its gateway has not noticed
 * yet) and the device is pushed.
 *
 * <p>Deadlines use the detector's own wall clock, not the events' {@code at}: when the detector
 * catches up on a backlog, event times lie in the past and would fire a zombie push for every
 * message. Each deadline is kept twice, in the user's pending messages (with what is needed to
 * build the push) and in a deadline-ordered index, so the punctuator reads only what is due.
 */
final class AckTracker {
    /** Due entries handled per punctuation: bounds one transaction; the rest waits for the next tick. */
    static final int MAX_DUE_PER_PUNCTUATION = 10_000;

    private final UserState state;
    private final JobFactory jobs;
    private final Duration ackTimeout;
    private final int maxPendingBytes;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    AckTracker(UserState state, JobFactory jobs, Duration ackTimeout, int maxPendingBytes, JobSink sink,
               DetectorMetrics metrics) {
        this.state = state;
        this.jobs = jobs;
        this.ackTimeout = ackTimeout;
        this.maxPendingBytes = maxPendingBytes;
        this.sink = sink;
        this.metrics = metrics;
    }

    /**
     * Starts waiting for acks of {@code m} from {@code devices} (which hold live connections). A user
     * whose pending messages outgrow their limit forgets the oldest: its devices get no zombie push
     * for it (counted), rather than the user's state outgrowing a Kafka record.
     */
    void expect(MessageEvent m, List<RegisteredDevice> devices, Instant now) {
        UserPending pending = state.pending(m.userId());
        PendingMessage message = pending.get(m.messageId()).orElse(PendingMessage.of(m));
        Instant deadline = now.plus(ackTimeout);
        for (RegisteredDevice d : devices) {
            message = reschedule(message, d.deviceId(), deadline);
        }
        UserPending next = pending.put(message);
        for (PendingMessage oldest : next.oldestBeyond(maxPendingBytes, m.messageId())) {
            oldest.deadlines().forEach((deviceId, at) ->
                    state.cancel(new AckDeadline(m.userId(), oldest.message().messageId(), deviceId), at));
            next = next.remove(oldest.message().messageId());
            metrics.capped("pending");
        }
        state.put(m.userId(), next);
    }

    /** (Re)starts the device's ack deadline, if the message is one the detector is tracking. */
    void routed(RoutedEvent e, Instant now) {
        UserPending pending = state.pending(e.userId());
        pending.get(e.messageId()).ifPresent(message ->
                state.put(e.userId(), pending.put(reschedule(message, e.deviceId(), now.plus(ackTimeout)))));
    }

    void acked(AckedEvent e) {
        UserPending pending = state.pending(e.userId());
        pending.get(e.messageId()).ifPresent(message -> {
            Instant deadline = message.deadlines().get(e.deviceId());
            if (deadline != null) {
                state.cancel(new AckDeadline(e.userId(), e.messageId(), e.deviceId()), deadline);
                state.put(e.userId(), pending.put(message.without(e.deviceId())));
            }
        });
    }

    /**
     * Pushes every device past its deadline (still registered, message neither expired nor muted)
     * and forgets it. A message that expired before its deadline is forgotten without a push.
     */
    void punctuate(Instant now) {
        for (KeyValue<String, AckDeadline> due : state.due(now, MAX_DUE_PER_PUNCTUATION)) {
            state.deleteDeadline(due.key);
            AckDeadline d = due.value;
            UserPending pending = state.pending(d.userId());
            PendingMessage message = pending.get(d.messageId()).orElse(null);
            Instant deadline = message == null ? null : message.deadlines().get(d.deviceId());
            if (deadline == null || !due.key.equals(d.key(deadline))) {
                continue; // acked or rescheduled since: a stale index entry
            }
            state.put(d.userId(), pending.put(message.without(d.deviceId())));
            pushZombie(message.message(), d.deviceId(), now);
        }
    }

    private PendingMessage reschedule(PendingMessage message, String deviceId, Instant deadline) {
        AckDeadline ref = new AckDeadline(message.message().userId(), message.message().messageId(), deviceId);
        Instant previous = message.deadlines().get(deviceId);
        if (previous != null) {
            state.cancel(ref, previous);
        }
        state.schedule(ref, deadline);
        return message.withDeadline(deviceId, deadline);
    }

    private void pushZombie(MessageEvent m, String deviceId, Instant now) {
        if (jobs.isExpired(m, now)) {
            metrics.dropped(MessageHandler.EXPIRED);
            return;
        }
        RegisteredDevice device = state.devices(m.userId()).get(deviceId).orElse(null);
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
