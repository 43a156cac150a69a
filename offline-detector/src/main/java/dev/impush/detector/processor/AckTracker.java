package dev.impush.detector.processor;

import dev.impush.detector.AckTracking;
import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.AckDeadline;
import dev.impush.detector.state.EarlyAck;
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
 * Zombie-connection detection. A message handed to a device's live connection must be acked within
 * the ack timeout; when it is not, the connection is presumed dead (its gateway has not noticed yet)
 * and the device is pushed. Which event starts the wait is the platform's choice ({@link AckTracking}):
 * {@code routed} (the default) or the {@code message} itself.
 *
 * <p>All times here are the events' time ({@link AckClock}): a deadline is the time of the event that
 * started it plus the ack timeout, and it fires once the task's {@link AckClock#horizon} has passed it,
 * that is once the detector has read what was produced up to then. Neither a backlog read late (the
 * events' times lie in the past, but so do their acks') nor a broker outage or a stalled detector
 * (the wall clock runs on, the horizon does not) pushes a device that acked in time.
 *
 * <p>Each deadline is kept twice, in the user's pending messages (with what is needed to build the
 * push) and in a deadline-ordered index, so the punctuator reads only what is due. The index also
 * holds when to give up waiting for a {@code routed}, and when to forget an early ack.
 */
final class AckTracker {
    /** Due entries handled per punctuation: bounds one transaction; the rest waits for the next tick. */
    static final int MAX_DUE_PER_PUNCTUATION = 10_000;

    private final UserState state;
    private final JobFactory jobs;
    private final AckTracking mode;
    private final Duration ackTimeout;
    private final int maxPendingBytes;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    AckTracker(UserState state, JobFactory jobs, AckTracking mode, Duration ackTimeout, int maxPendingBytes,
               JobSink sink, DetectorMetrics metrics) {
        this.state = state;
        this.jobs = jobs;
        this.mode = mode;
        this.ackTimeout = ackTimeout;
        this.maxPendingBytes = maxPendingBytes;
        this.sink = sink;
        this.metrics = metrics;
    }

    /**
     * Starts waiting for acks of {@code m} (read at event time {@code at}) from {@code devices}, which
     * hold live connections: with {@code routed} tracking for their {@code routed} first, with
     * {@code message} tracking for the ack. An early ack of a device is used up here. A device already
     * waited for (the message sent again) keeps its deadline. A user whose pending messages outgrow their
     * limit forgets the oldest: its devices get no zombie push for it (counted), rather than the user's
     * state outgrowing a Kafka record.
     */
    void expect(MessageEvent m, List<RegisteredDevice> devices, Instant at) {
        if (mode == AckTracking.OFF) {
            return;
        }
        UserPending pending = state.pending(m.userId());
        PendingMessage message = pending.get(m.messageId()).orElse(PendingMessage.of(m));
        for (RegisteredDevice d : devices) {
            if (message.deadlines().containsKey(d.deviceId())) {
                continue;
            }
            EarlyAck early = pending.early(m.messageId(), d.deviceId()).orElse(null);
            if (early != null) {
                pending = forgetEarly(pending, m.userId(), early);
                metrics.ack(DetectorMetrics.ACK_EARLY_USED);
                if (early.acked()) {
                    continue; // acked before its message arrived
                }
            }
            Instant routedAt = early == null ? null : early.routedAt();
            if (routedAt != null) {
                Instant start = mode == AckTracking.MESSAGE && at.isAfter(routedAt) ? at : routedAt;
                message = reschedule(message, d.deviceId(), start.plus(ackTimeout), true);
            } else {
                message = reschedule(message, d.deviceId(), at.plus(ackTimeout), false);
            }
        }
        UserPending next = pending.put(message);
        for (PendingMessage oldest : next.oldestBeyond(maxPendingBytes, m.messageId())) {
            oldest.deadlines().forEach((deviceId, due) ->
                    state.cancel(new AckDeadline(m.userId(), oldest.message().messageId(), deviceId), due));
            next = next.remove(oldest.message().messageId());
            metrics.capped("pending");
        }
        state.put(m.userId(), next);
    }

    /** Stops waiting for acks of a recalled message: no device gets a push for it. True when it was waited for. */
    boolean recalled(String userId, String messageId) {
        UserPending pending = state.pending(userId);
        PendingMessage message = pending.get(messageId).orElse(null);
        if (message == null) {
            return false;
        }
        message.deadlines().forEach((deviceId, due) -> state.cancel(new AckDeadline(userId, messageId, deviceId), due));
        state.put(userId, pending.remove(messageId));
        return true;
    }

    /**
     * (Re)starts the device's ack deadline at {@code at}, the routed's event time, if the detector waits
     * for the device's ack of that message; remembered for a while if the message has not been read yet.
     */
    void routed(RoutedEvent e, Instant at) {
        if (mode == AckTracking.OFF) {
            return;
        }
        UserPending pending = state.pending(e.userId());
        PendingMessage message = pending.get(e.messageId()).orElse(null);
        if (message == null) {
            EarlyAck known = pending.early(e.messageId(), e.deviceId()).orElse(null);
            remember(pending, e.userId(), known == null
                    ? new EarlyAck(e.messageId(), e.deviceId(), at, false, at.plus(ackTimeout))
                    : new EarlyAck(e.messageId(), e.deviceId(), at, known.acked(), known.forgetAt()));
        } else if (message.deadlines().containsKey(e.deviceId())) {
            Instant deadline = at.plus(ackTimeout);
            Instant current = message.deadlines().get(e.deviceId());
            if (mode == AckTracking.MESSAGE || message.routed(e.deviceId())) {
                // a restart never brings a running deadline forward (a routed stamped before its message)
                deadline = deadline.isAfter(current) ? deadline : current;
            }
            state.put(e.userId(), pending.put(reschedule(message, e.deviceId(), deadline, true)));
        }
        // else: a device the message was not waited for on (offline at the message: pushed; or acked already)
    }

    /** Ends the wait for the device's ack; remembered for a while if the message has not been read yet. */
    void acked(AckedEvent e, Instant at) {
        if (mode == AckTracking.OFF) {
            return;
        }
        UserPending pending = state.pending(e.userId());
        PendingMessage message = pending.get(e.messageId()).orElse(null);
        if (message == null) {
            EarlyAck known = pending.early(e.messageId(), e.deviceId()).orElse(null);
            remember(pending, e.userId(), known == null
                    ? new EarlyAck(e.messageId(), e.deviceId(), null, true, at.plus(ackTimeout))
                    : new EarlyAck(e.messageId(), e.deviceId(), known.routedAt(), true, known.forgetAt()));
            return;
        }
        Instant deadline = message.deadlines().get(e.deviceId());
        if (deadline != null) {
            state.cancel(new AckDeadline(e.userId(), e.messageId(), e.deviceId()), deadline);
            state.put(e.userId(), pending.put(message.without(e.deviceId())));
            metrics.ack(DetectorMetrics.ACK_IN_TIME);
        }
    }

    /**
     * Handles every index entry due at or before {@code horizon} (see {@link AckClock}): pushes a device
     * whose ack did not come (still registered, message neither expired nor muted at {@code now}), stops
     * waiting for a {@code routed} that did not come, forgets an early ack whose message did not come.
     */
    void punctuate(Instant horizon, Instant now) {
        for (KeyValue<String, AckDeadline> due : state.due(horizon, MAX_DUE_PER_PUNCTUATION)) {
            state.deleteDeadline(due.key);
            AckDeadline d = due.value;
            UserPending pending = state.pending(d.userId());
            PendingMessage message = pending.get(d.messageId()).orElse(null);
            Instant deadline = message == null ? null : message.deadlines().get(d.deviceId());
            if (deadline != null && due.key.equals(d.key(deadline))) {
                state.put(d.userId(), pending.put(message.without(d.deviceId())));
                if (pushes(message, d.deviceId())) {
                    pushZombie(message.message(), d.deviceId(), now);
                } else if (mode == AckTracking.ROUTED) {
                    metrics.ack(DetectorMetrics.ACK_NEVER_ROUTED);
                }
                continue;
            }
            EarlyAck early = pending.early(d.messageId(), d.deviceId()).orElse(null);
            if (early != null && due.key.equals(d.key(early.forgetAt()))) {
                state.put(d.userId(), pending.withoutEarly(d.messageId(), d.deviceId()));
                metrics.ack(DetectorMetrics.ACK_EARLY_EXPIRED);
            }
            // else a stale entry: acked, rescheduled or used since
        }
    }

    /** Whether a passed deadline pushes the device, under the mode running now. */
    private boolean pushes(PendingMessage message, String deviceId) {
        return switch (mode) {
            case ROUTED -> message.routed(deviceId);
            case MESSAGE -> true;
            case OFF -> false;
        };
    }

    private void remember(UserPending pending, String userId, EarlyAck ack) {
        UserPending next = pending.withEarly(ack);
        pending.early(ack.messageId(), ack.deviceId()).ifPresentOrElse(
                known -> {
                    if (!known.forgetAt().equals(ack.forgetAt())) {
                        state.cancel(new AckDeadline(userId, ack.messageId(), ack.deviceId()), known.forgetAt());
                        state.schedule(new AckDeadline(userId, ack.messageId(), ack.deviceId()), ack.forgetAt());
                    }
                },
                () -> state.schedule(new AckDeadline(userId, ack.messageId(), ack.deviceId()), ack.forgetAt()));
        for (EarlyAck oldest : next.earlyBeyondLimit()) {
            next = forgetEarly(next, userId, oldest);
            metrics.capped("early");
        }
        metrics.ack(DetectorMetrics.ACK_EARLY);
        state.put(userId, next);
    }

    private UserPending forgetEarly(UserPending pending, String userId, EarlyAck early) {
        state.cancel(new AckDeadline(userId, early.messageId(), early.deviceId()), early.forgetAt());
        return pending.withoutEarly(early.messageId(), early.deviceId());
    }

    private PendingMessage reschedule(PendingMessage message, String deviceId, Instant deadline, boolean routed) {
        AckDeadline ref = new AckDeadline(message.message().userId(), message.message().messageId(), deviceId);
        Instant previous = message.deadlines().get(deviceId);
        if (!deadline.equals(previous)) {
            if (previous != null) {
                state.cancel(ref, previous);
            }
            state.schedule(ref, deadline);
        }
        return message.withDeadline(deviceId, deadline, routed);
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
