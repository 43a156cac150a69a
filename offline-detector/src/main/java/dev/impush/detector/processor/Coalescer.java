package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.detector.logic.CollapseIds;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.Hold;
import dev.impush.detector.state.HoldDue;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserConnections;
import dev.impush.detector.state.UserDevices;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.ReadEvent;
import dev.impush.model.event.RecallEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * Group-storm coalescing. Per (user, conversation) the first push opens a window; messages for
 * offline devices within it are held, and when it ends they go out as one update ("Alice and 4
 * others", "5 new messages: latest preview") with the first push's collapse id, so it replaces that
 * notification. While messages keep coming, each window ends in one update; a window in which none
 * came closes, and the next message pushes at once again; so does a {@code read} of the conversation
 * (what was held is read). Messages that @mention the user or belong
 * to a direct conversation bypass the hold (configurable), as do silent ones.
 *
 * <p>Windows live in the detector's stores (changelogged, exactly-once with the jobs), so a restart
 * neither loses a held message nor sends an update twice. Windows run on the wall clock: they shape
 * what a person sees, not what was read. Devices online for a held message are waited for by the
 * {@link AckTracker} as usual; the update goes to the devices that were offline for a held message
 * and are still registered and not connected when the window ends (a device that reconnected syncs
 * the messages over its long connection).
 */
final class Coalescer {
    /** Windows handled per punctuation: bounds one transaction; the rest waits for the next tick. */
    static final int MAX_DUE_PER_PUNCTUATION = 10_000;
    static final String HELD = "held";
    static final String UPDATED = "updated";
    static final String RECONNECTED = "reconnected";

    private final CoalesceSettings settings;
    private final UserState state;
    private final Reachability reachability;
    private final JobFactory jobs;
    private final JobSink sink;
    private final DetectorMetrics metrics;

    Coalescer(CoalesceSettings settings, UserState state, Reachability reachability, JobFactory jobs, JobSink sink,
              DetectorMetrics metrics) {
        this.settings = settings;
        this.state = state;
        this.reachability = reachability;
        this.jobs = jobs;
        this.sink = sink;
        this.metrics = metrics;
    }

    /** How often windows are checked: a tenth of the window, between 50 ms and {@code max}. */
    static Duration tick(CoalesceSettings settings, Duration max) {
        Duration tenth = settings.window().dividedBy(10);
        Duration floor = Duration.ofMillis(50);
        return tenth.compareTo(floor) < 0 ? floor : tenth.compareTo(max) > 0 ? max : tenth;
    }

    /**
     * Whether {@code m}, which {@code offline} devices need, is held for its conversation's update. When
     * not, the caller pushes it now, and it opens a window if coalescing applies to it.
     */
    boolean held(MessageEvent m, List<RegisteredDevice> offline, Instant now) {
        if (!applies(m)) {
            return false;
        }
        HoldDue ref = new HoldDue(m.userId(), m.conversationId());
        Hold open = state.hold(m.userId(), m.conversationId());
        if (open == null) {
            state.put(ref, Hold.open(m, CollapseIds.of(m.messageId()), now.plus(settings.window())));
            return false;
        }
        boolean again = CollapseIds.of(m.messageId()).equals(open.collapseId())
                || open.holding() && open.latest().messageId().equals(m.messageId());
        if (again) {
            return true; // the platform sent the window's first or latest message again: nothing new to show
        }
        state.put(ref, open.hold(m, offline.stream().map(RegisteredDevice::deviceId).toList()));
        metrics.coalesced(HELD);
        return true;
    }

    /** A read of the conversation ends its window: what was held is read, the next message pushes at once. */
    void read(ReadEvent e) {
        if (state.hold(e.userId(), e.conversationId()) != null) {
            state.close(new HoldDue(e.userId(), e.conversationId())); // its index entry is stale now
        }
    }

    /**
     * A recalled message held as its window's latest is taken out of the window's update (which would
     * show its text); true when it was. The window keeps its count: the next update says how many came.
     */
    boolean recalled(RecallEvent e) {
        Hold hold = state.hold(e.userId(), e.conversationId());
        if (hold == null || !hold.holding() || !hold.latest().messageId().equals(e.messageId())) {
            return false;
        }
        state.put(new HoldDue(e.userId(), e.conversationId()), hold.withoutLatest());
        return true;
    }

    private boolean applies(MessageEvent m) {
        return settings.enabled() && !m.silent() && !(settings.bypassMentions() && m.mentioned())
                && !(settings.bypassDirect() && m.conversationType() == MessageEvent.ConversationType.DIRECT);
    }

    /** Ends every window due at {@code now}: sends the update of what it holds, or closes it. */
    void punctuate(Instant now) {
        for (KeyValue<String, HoldDue> due : state.holdsDue(now, MAX_DUE_PER_PUNCTUATION)) {
            state.deleteHoldDue(due.key);
            HoldDue ref = due.value;
            Hold hold = state.hold(ref.userId(), ref.conversationId());
            if (hold == null || !due.key.equals(ref.key(hold.windowEnd()))) {
                continue; // stale: closed or moved since
            }
            if (!hold.holding()) {
                state.close(ref);
                continue;
            }
            state.put(ref, hold.next(now.plus(settings.window())));
            update(hold, now);
        }
    }

    private void update(Hold hold, Instant now) {
        MessageEvent m = hold.latest();
        if (jobs.isExpired(m, now)) {
            metrics.dropped(MessageHandler.EXPIRED);
            return;
        }
        if (state.mutes(m.userId()).mutes(m.conversationId(), now)) {
            metrics.dropped(MessageHandler.MUTED);
            return;
        }
        UserDevices devices = state.devices(m.userId());
        UserConnections connections = state.connections(m.userId());
        List<RegisteredDevice> targets = new ArrayList<>();
        for (String deviceId : hold.devices()) {
            devices.get(deviceId).filter(d -> !reachability.isLive(connections, deviceId, now)).ifPresent(targets::add);
        }
        if (targets.isEmpty()) {
            metrics.dropped(RECONNECTED);
            return;
        }
        metrics.coalesced(UPDATED);
        jobs.forUpdate(hold, targets, now).forEach(job -> sink.emit(job, DetectorMetrics.TRIGGER_COALESCED, now));
    }
}
