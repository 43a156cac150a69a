package dev.impush.detector.state;

import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.QuietHours;
import dev.impush.model.job.LocalizedText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The binary layouts of the detector's state values, one codec per stored type. Fields are written
 * in record-component order with {@link StateOutput}'s primitives; a map is its size, then key and
 * value per entry. Changing a type's layout means the next format byte for that type
 * ({@link StateSerde}), with the old layout still read: changelogs written by the previous release are
 * restored by the next.
 */
final class StateCodecs {
    private StateCodecs() {}

    static final StateCodec<MessageEvent> MESSAGE = new StateCodec<>(MessageEvent.class,
            (out, m) -> {
                out.writeSignedVarLong(m.v());
                out.writeString(m.messageId());
                out.writeString(m.userId());
                out.writeString(m.conversationId());
                out.writeEnum(m.conversationType());
                out.writeString(m.senderId());
                out.writeString(m.senderName());
                out.writeString(m.preview());
                out.writeBoolean(m.mentioned());
                out.writeBoolean(m.badge() != null);
                if (m.badge() != null) {
                    out.writeSignedVarLong(m.badge());
                }
                out.writeInstant(m.sentAt());
                out.writeSignedVarLong(m.ttlSeconds());
                out.writeEnum(m.priority());
                out.writeBoolean(m.silent());
            },
            in -> readMessage(in, false));

    /**
     * {@link #MESSAGE}'s fields, then the deep link, the localized text and content-free: the layout of
     * messages in state since routes.
     */
    static final StateCodec<MessageEvent> ROUTED_MESSAGE = new StateCodec<>(MessageEvent.class,
            (out, m) -> {
                MESSAGE.write(out, m);
                out.writeString(m.route());
                LocalizedText l = m.localized();
                out.writeBoolean(l != null);
                if (l != null) {
                    out.writeString(l.titleKey());
                    writeList(out, l.titleArgs());
                    out.writeString(l.bodyKey());
                    writeList(out, l.bodyArgs());
                }
                out.writeBoolean(m.contentFree());
            },
            in -> readMessage(in, true));

    /**
     * A message in {@link #MESSAGE}'s layout, then ({@code extended}) {@link #ROUTED_MESSAGE}'s fields: one
     * record built per read, since every event of a waiting user reads all its pending messages.
     */
    private static MessageEvent readMessage(StateInput in, boolean extended) {
        int v = in.readInt();
        String messageId = in.readString();
        String userId = in.readString();
        String conversationId = in.readString();
        MessageEvent.ConversationType type = in.readEnum(MessageEvent.ConversationType.class);
        String senderId = in.readString();
        String senderName = in.readString();
        String preview = in.readString();
        boolean mentioned = in.readBoolean();
        Integer badge = in.readBoolean() ? in.readInt() : null;
        Instant sentAt = in.readInstant();
        long ttl = in.readSignedVarLong();
        Priority priority = in.readEnum(Priority.class);
        boolean silent = in.readBoolean();
        if (!extended) {
            return new MessageEvent(v, messageId, userId, conversationId, type, senderId, senderName, preview, mentioned,
                    badge, sentAt, ttl, priority, silent);
        }
        String route = in.readString();
        LocalizedText localized = in.readBoolean()
                ? new LocalizedText(in.readString(), readList(in), in.readString(), readList(in)) : null;
        return new MessageEvent(v, messageId, userId, conversationId, type, senderId, senderName, preview, mentioned,
                badge, sentAt, ttl, priority, silent, route, localized, in.readBoolean());
    }

    private static void writeList(StateOutput out, List<String> values) {
        out.writeVarLong(values.size());
        values.forEach(out::writeString);
    }

    /** Format 2 added whether a device's token is a VoIP one; a format-1 device reads as an alert token. */
    static final StateCodec<UserDevices> DEVICES = new StateCodec<>(UserDevices.class, StateSerde.FORMAT_2,
            (out, value) -> writeMap(out, value.byDevice(), (o, d) -> {
                o.writeString(d.deviceId());
                o.writeEnum(d.channel());
                o.writeString(d.token());
                o.writeString(d.appId());
                o.writeBoolean(d.sandbox());
                o.writeString(d.locale());
                o.writeBoolean(d.previewEnabled());
                o.writeInstant(d.registeredAt());
                o.writeBoolean(d.voip());
            }),
            in -> new UserDevices(readMap(in, i -> new RegisteredDevice(i.readString(), i.readEnum(Channel.class),
                    i.readString(), i.readString(), i.readBoolean(), i.readString(), i.readBoolean(),
                    i.readInstant(), i.readBoolean()))),
            Map.of(StateSerde.FORMAT_1, in -> new UserDevices(readMap(in, i -> new RegisteredDevice(i.readString(),
                    i.readEnum(Channel.class), i.readString(), i.readString(), i.readBoolean(), i.readString(),
                    i.readBoolean(), i.readInstant())))));

    /**
     * Format 2 added each connection's gateway incarnation and recording time; a format-1 connection
     * reads as one of an unknown incarnation, recorded at its {@code since}.
     */
    static final StateCodec<UserConnections> CONNECTIONS = new StateCodec<>(UserConnections.class, StateSerde.FORMAT_2,
            (out, value) -> writeMap(out, value.byDevice(), (o, c) -> {
                o.writeString(c.gatewayId());
                o.writeInstant(c.since());
                o.writeString(c.incarnation());
                o.writeInstant(c.recordedAt());
            }),
            in -> new UserConnections(readMap(in, i -> new Connection(i.readString(), i.readInstant(), i.readString(),
                    i.readInstant()))),
            Map.of(StateSerde.FORMAT_1,
                    in -> new UserConnections(readMap(in, i -> new Connection(i.readString(), i.readInstant())))));

    /**
     * The global gateway-lease store's values. Earlier releases stored the heartbeat itself, in the
     * public contract's JSON: that reads through the JSON path, as a lease received at its {@code at}.
     */
    static final StateCodec<ReceivedLease> LEASE = new StateCodec<>(ReceivedLease.class,
            (out, l) -> {
                out.writeString(l.gatewayId());
                out.writeSignedVarLong(l.leaseSeconds());
                out.writeInstant(l.at());
                out.writeString(l.incarnation());
                out.writeInstant(l.receivedAt());
            },
            in -> new ReceivedLease(in.readString(), in.readSignedVarLong(), in.readInstant(), in.readString(),
                    in.readInstant()));

    /**
     * Format 2 added each message's unrouted devices and the user's early acks; a format-1 value reads
     * with neither (its deadlines all push, as they did when it was written). Format 3 stores messages
     * with their deep link ({@link #ROUTED_MESSAGE}); a format-2 value reads with none.
     */
    static final StateCodec<UserPending> PENDING = new StateCodec<>(UserPending.class, StateSerde.FORMAT_3,
            (out, value) -> {
                writeMap(out, value.byMessage(), (o, p) -> {
                    ROUTED_MESSAGE.write(o, p.message());
                    writeMap(o, p.deadlines(), StateOutput::writeInstant);
                    o.writeVarLong(p.unrouted().size());
                    p.unrouted().forEach(o::writeString);
                });
                out.writeVarLong(value.early().size());
                for (EarlyAck e : value.early()) {
                    out.writeString(e.messageId());
                    out.writeString(e.deviceId());
                    out.writeInstant(e.routedAt());
                    out.writeBoolean(e.acked());
                    out.writeInstant(e.forgetAt());
                }
            },
            in -> readPending(in, ROUTED_MESSAGE),
            Map.of(StateSerde.FORMAT_2, in -> readPending(in, MESSAGE),
                    StateSerde.FORMAT_1, in -> new UserPending(readMap(in, i -> new PendingMessage(MESSAGE.read(i),
                    readMap(i, StateInput::readInstant))))));

    private static UserPending readPending(StateInput in, StateCodec<MessageEvent> messages) {
        Map<String, PendingMessage> byMessage = readMap(in, i -> new PendingMessage(messages.read(i),
                readMap(i, StateInput::readInstant), readSet(i)));
        int n = in.readCount();
        List<EarlyAck> early = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            early.add(new EarlyAck(in.readString(), in.readString(), in.readInstant(), in.readBoolean(),
                    in.readInstant()));
        }
        return new UserPending(byMessage, early);
    }

    static final StateCodec<AckDeadline> DEADLINE = new StateCodec<>(AckDeadline.class,
            (out, d) -> {
                out.writeString(d.userId());
                out.writeString(d.messageId());
                out.writeString(d.deviceId());
            },
            in -> new AckDeadline(in.readString(), in.readString(), in.readString()));

    static final StateCodec<UserMutes> MUTES = new StateCodec<>(UserMutes.class,
            (out, value) -> writeMap(out, value.byScope(), (o, m) -> {
                o.writeInstant(m.until());
                o.writeInstant(m.at());
            }),
            in -> new UserMutes(readMap(in, i -> new Mute(i.readInstant(), i.readInstant()))));

    static final StateCodec<UserTags> TAGS = new StateCodec<>(UserTags.class,
            (out, value) -> {
                out.writeVarLong(value.tags().size());
                value.tags().forEach(out::writeString);
                out.writeInstant(value.at());
            },
            in -> new UserTags(readSet(in), in.readInstant()));

    static final StateCodec<UserUnread> UNREAD = new StateCodec<>(UserUnread.class,
            (out, value) -> writeMap(out, value.byConversation(), (o, u) -> {
                o.writeSignedVarLong(u.count());
                o.writeInstant(u.lastAt());
                writeList(o, u.recent());
            }),
            in -> new UserUnread(readMap(in, i -> new UserUnread.Unread(i.readInt(), i.readInstant(), readList(i)))));

    static final StateCodec<UserPreferences> PREFERENCES = new StateCodec<>(UserPreferences.class,
            (out, p) -> {
                QuietHours q = p.quietHours();
                out.writeBoolean(q != null);
                if (q != null) {
                    out.writeString(q.from());
                    out.writeString(q.to());
                    out.writeString(q.zone());
                    out.writeEnum(q.mode());
                    out.writeBoolean(q.allowMentions());
                    out.writeBoolean(q.allowCalls());
                }
                out.writeInstant(p.at());
            },
            in -> new UserPreferences(in.readBoolean() ? new QuietHours(in.readString(), in.readString(), in.readString(),
                    in.readEnum(QuietHours.Mode.class), in.readBoolean(), in.readBoolean()) : null, in.readInstant()));

    static final StateCodec<UserReadClears> READ_CLEARS = new StateCodec<>(UserReadClears.class,
            (out, value) -> writeMap(out, value.byConversation(), StateOutput::writeInstant),
            in -> new UserReadClears(readMap(in, StateInput::readInstant)));

    static final StateCodec<Hold> HOLD = new StateCodec<>(Hold.class,
            (out, h) -> {
                out.writeString(h.collapseId());
                out.writeInstant(h.windowEnd());
                out.writeSignedVarLong(h.count());
                writeList(out, h.senders());
                out.writeBoolean(h.latest() != null);
                if (h.latest() != null) {
                    ROUTED_MESSAGE.write(out, h.latest());
                }
                out.writeVarLong(h.devices().size());
                h.devices().forEach(out::writeString);
            },
            in -> new Hold(in.readString(), in.readInstant(), in.readInt(), readList(in),
                    in.readBoolean() ? ROUTED_MESSAGE.read(in) : null, readSet(in)));

    static final StateCodec<HoldDue> HOLD_DUE = new StateCodec<>(HoldDue.class,
            (out, d) -> {
                out.writeString(d.userId());
                out.writeString(d.conversationId());
            },
            in -> new HoldDue(in.readString(), in.readString()));

    private static List<String> readList(StateInput in) {
        int n = in.readCount();
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(in.readString());
        }
        return values;
    }

    private static <V> void writeMap(StateOutput out, Map<String, V> map, BiConsumer<StateOutput, V> value) {
        out.writeVarLong(map.size());
        map.forEach((k, v) -> {
            out.writeString(k);
            value.accept(out, v);
        });
    }

    private static Set<String> readSet(StateInput in) {
        int n = in.readCount();
        if (n == 0) {
            return Set.of();
        }
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readString();
        }
        return Set.of(values);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> readMap(StateInput in, Function<StateInput, V> value) {
        int n = in.readCount();
        if (n == 0) {
            return Map.of();
        }
        Map.Entry<String, V>[] entries = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
            entries[i] = Map.entry(in.readString(), value.apply(in));
        }
        return Map.ofEntries(entries); // immutable already: the records' Map.copyOf keeps it as is
    }
}
