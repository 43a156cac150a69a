package dev.impush.detector.processor;

import dev.impush.detector.DetectorConfig;
import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.input.InputProgress;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.logic.Liveness;
import dev.impush.model.event.AckedEvent;
import dev.impush.model.event.CallEvent;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.MuteEvent;
import dev.impush.model.event.PreferencesEvent;
import dev.impush.model.event.PresenceEvent;
import dev.impush.model.event.ReadEvent;
import dev.impush.model.event.RecallEvent;
import dev.impush.model.event.RoutedEvent;
import dev.impush.model.event.TagsEvent;
import dev.impush.model.feedback.InvalidTokenFeedback;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.PushJob;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The detector's stateful step: applies each decoded event or feedback record of a user to that
 * user's state and publishes the push jobs that follow, and runs the ack-timeout and coalescing punctuators.
 * Time is the task's wall clock ({@link ProcessorContext#currentSystemTimeMs()}, so tests drive it),
 * except for ack deadlines, which run on the events' time ({@link AckClock}): every events record
 * advances the task's {@link AckClock}, and the punctuator fires what its horizon has passed.
 */
public final class DetectorProcessor implements Processor<String, Object, String, PushJob> {
    private final DetectorConfig config;
    private final DetectorMetrics metrics;
    private final InputProgress input;
    private final String jobsChild;
    private ProcessorContext<String, PushJob> context;
    private UserState state;
    private Liveness liveness;
    private MessageHandler messages;
    private AckTracker acks;
    private AckClock ackClock;
    private Coalescer coalescer;
    private Badges badges;
    private QuietHoursGate quietHours;
    private CallHandler calls;
    private ReadClears readClears;
    private RecallHandler recalls;
    private DeviceHandler devices;
    /** The headers of the record being processed; null in a punctuation (a job it emits has no one event's trace). */
    private Headers eventHeaders;

    /** @param input what the broker has shown of the detector's reading, for deadlines of idle partitions */
    public DetectorProcessor(DetectorConfig config, DetectorMetrics metrics, InputProgress input, String jobsChild) {
        this.config = config;
        this.metrics = metrics;
        this.input = input;
        this.jobsChild = jobsChild;
    }

    @Override
    public void init(ProcessorContext<String, PushJob> context) {
        this.context = context;
        this.state = new UserState(context);
        JobFactory jobs = new JobFactory(config.defaultTtl(), config.contentFreeApps());
        JobSink sink = this::emit;
        this.acks = new AckTracker(state, jobs, config.ackTracking(), config.ackTimeout(),
                config.limits().maxPendingBytes(), sink, metrics);
        // afresh at every (re)initialisation: after a rollback, what was read since the commit is read again
        this.ackClock = new AckClock(input, context.taskId().partition(), config.ackGrace().toMillis());
        this.liveness = new Liveness(config.requireGatewayLease(), config.connectionMaxAge());
        Reachability reachability = new Reachability(state, liveness);
        this.coalescer = new Coalescer(config.coalescing(), state, reachability, jobs, sink, metrics);
        this.badges = new Badges(config.unreadBadge(), state);
        this.quietHours = new QuietHoursGate(state, metrics);
        this.calls = new CallHandler(state, reachability, jobs, sink, metrics);
        this.readClears = new ReadClears(config.readClearInterval(), state, reachability, jobs, sink, metrics);
        this.recalls = new RecallHandler(state, acks, coalescer, jobs, sink, metrics);
        this.messages = new MessageHandler(state, reachability, coalescer, badges, jobs, acks, sink, metrics);
        this.devices = new DeviceHandler(state, config.limits().maxDevices(), metrics);
        context.schedule(config.punctuateInterval(), PunctuationType.WALL_CLOCK_TIME, timestamp -> {
            long now = context.currentSystemTimeMs();
            long horizon = ackClock.horizon(now);
            if (horizon != Long.MIN_VALUE) {
                acks.punctuate(Instant.ofEpochMilli(horizon), Instant.ofEpochMilli(now));
            }
        });
        if (config.coalescing().enabled()) {
            context.schedule(Coalescer.tick(config.coalescing(), config.punctuateInterval()),
                    PunctuationType.WALL_CLOCK_TIME,
                    timestamp -> coalescer.punctuate(Instant.ofEpochMilli(context.currentSystemTimeMs())));
        }
    }

    @Override
    public void process(Record<String, Object> record) {
        eventHeaders = record.headers();
        try {
            handle(record);
        } finally {
            eventHeaders = null;
        }
    }

    private void handle(Record<String, Object> record) {
        long nowMs = context.currentSystemTimeMs();
        Instant now = Instant.ofEpochMilli(nowMs);
        // feedback (another topic, another producer) says nothing about how far im.events was read
        Instant at = record.value() instanceof ImEvent ? Instant.ofEpochMilli(ackClock.read(record.timestamp(), nowMs)) : now;
        switch (record.value()) {
            case MessageEvent e -> {
                metrics.event("message");
                messages.handle(e, now, at);
            }
            case RoutedEvent e -> {
                metrics.event("routed");
                acks.routed(e, at);
            }
            case AckedEvent e -> {
                metrics.event("acked");
                acks.acked(e, at);
            }
            case PresenceEvent e -> {
                metrics.event("presence");
                presence(e, now);
            }
            case DeviceEvent e -> {
                metrics.event("device");
                devices.handle(e);
            }
            case MuteEvent e -> {
                metrics.event("mute");
                state.put(e.userId(), state.mutes(e.userId()).apply(e, now, config.limits().maxMutes(),
                        () -> metrics.capped("mutes")));
            }
            case ReadEvent e -> {
                metrics.event("read");
                int unread = badges.read(e);
                coalescer.read(e);
                readClears.handle(e, unread, now);
            }
            case RecallEvent e -> {
                metrics.event("recall");
                recalls.handle(e, now);
            }
            case CallEvent e -> {
                metrics.event("call");
                calls.handle(e, now);
            }
            case PreferencesEvent e -> {
                metrics.event("preferences");
                quietHours.preferences(e);
            }
            case TagsEvent e -> {
                metrics.event("tags");
                state.tags(e.userId()).apply(e).ifPresent(tags -> state.put(e.userId(), tags));
            }
            case InvalidTokenFeedback f -> {
                metrics.event("invalid-token");
                devices.handle(f);
            }
            default -> metrics.event("other");
        }
    }

    private void presence(PresenceEvent e, Instant now) {
        var connections = state.connections(e.userId());
        var next = switch (e.state()) {
            case ONLINE -> connections.online(e.deviceId(), e.gatewayId(), incarnation(e, now), e.at(), now,
                    config.limits().maxConnections(), () -> metrics.capped("connections"));
            case OFFLINE -> connections.offline(e.deviceId(), e.at());
        };
        next.ifPresent(value -> state.put(e.userId(), value));
    }

    /**
     * The gateway incarnation holding a new connection: as the event names it, else that of the
     * gateway's running lease. The latter can be stale when the event overtakes the first heartbeat of
     * a restarted gateway (im.events and im.gateways are read independently); the connection then
     * counts as down, so the device is pushed while online, until its next presence event. Gateways
     * that put their incarnation on presence events avoid that.
     */
    private String incarnation(PresenceEvent e, Instant now) {
        return e.incarnation() != null ? e.incarnation() : liveness.currentIncarnation(state.lease(e.gatewayId()), now);
    }

    private void emit(PushJob detected, String trigger, Instant now) {
        PushJob job = quietHours.apply(detected, now).orElse(null);
        if (job == null) {
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        JobHeaders.set(headers, JobHeaders.ORIGIN, JobHeaders.Origin.DETECTED.name());
        if (eventHeaders != null) {
            JobHeaders.copyTrace(eventHeaders, headers); // a job of the event at hand carries its trace
        }
        context.forward(new Record<>(job.userId(), job, now.toEpochMilli(), headers), jobsChild);
        metrics.job(trigger);
    }
}
