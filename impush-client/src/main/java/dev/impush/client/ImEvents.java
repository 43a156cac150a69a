package dev.impush.client;

import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.event.AckedEvent;
import dev.impush.model.event.CallEvent;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.MuteEvent;
import dev.impush.model.event.PreferencesEvent;
import dev.impush.model.event.PresenceEvent;
import dev.impush.model.event.QuietHours;
import dev.impush.model.event.ReadEvent;
import dev.impush.model.event.RecallEvent;
import dev.impush.model.event.RoutedEvent;
import dev.impush.model.event.TagsEvent;
import dev.impush.model.job.LocalizedText;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Typed IM events for {@link ImpushClient#send}: one factory per event of the README's contract, a
 * builder where an event has optional fields. Times default to now; everything else to what the
 * detector assumes when a field is absent. The events are checked when sent, not when built.
 */
public final class ImEvents {
    private ImEvents() {}

    /** A chat message for {@code userId} (one event per recipient); {@link MessageBuilder#conversation} is required. */
    public static MessageBuilder message(String messageId, String userId) {
        return new MessageBuilder(messageId, userId);
    }

    /** The long connection handed message {@code messageId} to {@code deviceId} (ack tracking). */
    public static RoutedEvent routed(String userId, String messageId, String deviceId) {
        return new RoutedEvent(Contract.VERSION, messageId, userId, deviceId, Instant.now());
    }

    /** The app on {@code deviceId} confirmed it has message {@code messageId}. */
    public static AckedEvent acked(String userId, String messageId, String deviceId) {
        return new AckedEvent(Contract.VERSION, messageId, userId, deviceId, Instant.now());
    }

    /**
     * {@code deviceId} holds a long connection on {@code gatewayId}; {@code incarnation} is the
     * gateway's current one ({@link GatewayHeartbeat#incarnation()}), or null without leases.
     */
    public static PresenceEvent online(String userId, String deviceId, String gatewayId, String incarnation) {
        return new PresenceEvent(Contract.VERSION, userId, deviceId, PresenceEvent.State.ONLINE, gatewayId, Instant.now(),
                incarnation);
    }

    /** {@code deviceId}'s long connection closed. */
    public static PresenceEvent offline(String userId, String deviceId) {
        return new PresenceEvent(Contract.VERSION, userId, deviceId, PresenceEvent.State.OFFLINE, null, Instant.now());
    }

    /** A device registered its push token for {@code appId} (the APNs topic, Android package...). */
    public static DeviceBuilder device(String userId, String deviceId, Channel channel, String token, String appId) {
        return new DeviceBuilder(userId, deviceId, channel, token, appId);
    }

    /** The device logged out or uninstalled: no more pushes to it. */
    public static DeviceEvent unregister(String userId, String deviceId) {
        return new DeviceEvent(Contract.VERSION, DeviceEvent.Action.UNREGISTER, userId, deviceId, null, null, null, false,
                null, null, Instant.now(), false);
    }

    /** The user muted {@code conversationId} (null: everything) until {@code until} (null: until unmuted). */
    public static MuteEvent mute(String userId, String conversationId, Instant until) {
        return new MuteEvent(Contract.VERSION, userId, conversationId, true, until, Instant.now());
    }

    /** The user unmuted {@code conversationId} (null: everything). */
    public static MuteEvent unmute(String userId, String conversationId) {
        return new MuteEvent(Contract.VERSION, userId, conversationId, false, null, Instant.now());
    }

    /** The user's tags now (broadcast audiences), replacing the earlier ones. */
    public static TagsEvent tags(String userId, Set<String> tags) {
        return new TagsEvent(Contract.VERSION, userId, Set.copyOf(tags), Instant.now());
    }

    /** The user read {@code conversationId} up to {@code readUpTo}; see {@link ReadBuilder}. */
    public static ReadBuilder read(String userId, String conversationId, Instant readUpTo) {
        return new ReadBuilder(userId, conversationId, readUpTo);
    }

    /** The user's quiet hours (null: none). */
    public static PreferencesEvent preferences(String userId, QuietHours quietHours) {
        return new PreferencesEvent(Contract.VERSION, userId, quietHours, Instant.now());
    }

    /** A call rings {@code userId} (VoIP tokens and unreachable devices). */
    public static CallBuilder callInvite(String callId, String userId, String callerId) {
        return new CallBuilder(callId, userId, CallEvent.Action.INVITE, callerId);
    }

    /** The caller hung up before {@code userId} answered: a missed call in place of the ringing. */
    public static CallBuilder callCancel(String callId, String userId, String callerId) {
        return new CallBuilder(callId, userId, CallEvent.Action.CANCEL, callerId);
    }

    /**
     * Message {@code messageId} was recalled: its notification is replaced, or never shown.
     * {@code sentAt} and {@code ttl} are the message's own.
     */
    public static RecallEvent recall(String userId, String messageId, String conversationId, Instant sentAt, Duration ttl) {
        return new RecallEvent(Contract.VERSION, userId, messageId, conversationId, sentAt, ttl.toSeconds(), Instant.now());
    }

    /** A {@link MessageEvent}. */
    public static final class MessageBuilder {
        private final String messageId;
        private final String userId;
        private String conversationId;
        private MessageEvent.ConversationType conversationType = MessageEvent.ConversationType.DIRECT;
        private String senderId;
        private String senderName;
        private String preview;
        private boolean mentioned;
        private Integer badge;
        private Instant sentAt;
        private long ttlSeconds;
        private Priority priority;
        private boolean silent;
        private String route;
        private LocalizedText localized;
        private boolean contentFree;

        private MessageBuilder(String messageId, String userId) {
            this.messageId = messageId;
            this.userId = userId;
        }

        /** A one-to-one conversation. */
        public MessageBuilder conversation(String conversationId) {
            this.conversationId = conversationId;
            this.conversationType = MessageEvent.ConversationType.DIRECT;
            return this;
        }

        /** A group: group storms are coalesced, {@link #mentioned} breaks through. */
        public MessageBuilder group(String conversationId) {
            this.conversationId = conversationId;
            this.conversationType = MessageEvent.ConversationType.GROUP;
            return this;
        }

        public MessageBuilder sender(String senderId, String senderName) {
            this.senderId = senderId;
            this.senderName = senderName;
            return this;
        }

        /** The text shown (unless the user turned previews off). */
        public MessageBuilder preview(String preview) {
            this.preview = preview;
            return this;
        }

        public MessageBuilder mentioned(boolean mentioned) {
            this.mentioned = mentioned;
            return this;
        }

        /** The unread count the platform keeps (absent: impush counts). */
        public MessageBuilder badge(int badge) {
            this.badge = badge;
            return this;
        }

        /** When the message was sent (default: when built). */
        public MessageBuilder sentAt(Instant sentAt) {
            this.sentAt = sentAt;
            return this;
        }

        /** How long a push is still worth sending (default: the detector's, 24 h). */
        public MessageBuilder ttl(Duration ttl) {
            this.ttlSeconds = ttl.toSeconds();
            return this;
        }

        public MessageBuilder priority(Priority priority) {
            this.priority = priority;
            return this;
        }

        /** Update the badge, show nothing. */
        public MessageBuilder silent(boolean silent) {
            this.silent = silent;
            return this;
        }

        /** The deep link a tap opens (up to 1,024 characters). */
        public MessageBuilder route(String route) {
            this.route = route;
            return this;
        }

        /** Title and body as the app's localization keys and arguments, rendered on the phone. */
        public MessageBuilder localized(LocalizedText localized) {
            this.localized = localized;
            return this;
        }

        /** Ids only reach the vendor; the app fetches the content itself. */
        public MessageBuilder contentFree(boolean contentFree) {
            this.contentFree = contentFree;
            return this;
        }

        public MessageEvent build() {
            return new MessageEvent(Contract.VERSION, messageId, userId, conversationId, conversationType, senderId,
                    senderName, preview, mentioned, badge, sentAt == null ? Instant.now() : sentAt, ttlSeconds, priority,
                    silent, route, localized, contentFree);
        }
    }

    /** A {@link DeviceEvent} registering a token. */
    public static final class DeviceBuilder {
        private final String userId;
        private final String deviceId;
        private final Channel channel;
        private final String token;
        private final String appId;
        private boolean sandbox;
        private String locale;
        private Boolean previewEnabled;
        private boolean voip;
        private Instant registeredAt;

        private DeviceBuilder(String userId, String deviceId, Channel channel, String token, String appId) {
            this.userId = userId;
            this.deviceId = deviceId;
            this.channel = Objects.requireNonNull(channel, "channel");
            this.token = token;
            this.appId = appId;
        }

        /** An APNs development build (the sandbox gateway). */
        public DeviceBuilder sandbox(boolean sandbox) {
            this.sandbox = sandbox;
            return this;
        }

        /** The phone's language (BCP 47), for localized texts. */
        public DeviceBuilder locale(String locale) {
            this.locale = locale;
            return this;
        }

        /** False: notifications show no message text on this device. */
        public DeviceBuilder previewEnabled(boolean previewEnabled) {
            this.previewEnabled = previewEnabled;
            return this;
        }

        /** A PushKit (VoIP) token: it gets calls only. */
        public DeviceBuilder voip(boolean voip) {
            this.voip = voip;
            return this;
        }

        /** When the app obtained the token (default: when built); older registrations never replace newer ones. */
        public DeviceBuilder registeredAt(Instant registeredAt) {
            this.registeredAt = registeredAt;
            return this;
        }

        public DeviceEvent build() {
            return new DeviceEvent(Contract.VERSION, DeviceEvent.Action.REGISTER, userId, deviceId, channel, token, appId,
                    sandbox, locale, previewEnabled, registeredAt == null ? Instant.now() : registeredAt, voip);
        }
    }

    /** A {@link ReadEvent}. */
    public static final class ReadBuilder {
        private final String userId;
        private final String conversationId;
        private final Instant readUpTo;
        private Integer unread;
        private String deviceId;

        private ReadBuilder(String userId, String conversationId, Instant readUpTo) {
            this.userId = userId;
            this.conversationId = conversationId;
            this.readUpTo = readUpTo;
        }

        /** The user's unread count left, for the badge of the cleared devices. */
        public ReadBuilder unread(int unread) {
            this.unread = unread;
            return this;
        }

        /** The device the user read on: it is not cleared. */
        public ReadBuilder on(String deviceId) {
            this.deviceId = deviceId;
            return this;
        }

        public ReadEvent build() {
            return new ReadEvent(Contract.VERSION, userId, conversationId, readUpTo, unread, Instant.now(), deviceId);
        }
    }

    /** A {@link CallEvent}. */
    public static final class CallBuilder {
        private final String callId;
        private final String userId;
        private final CallEvent.Action action;
        private final String callerId;
        private String callerName;
        private CallEvent.Media media;
        private String conversationId;
        private long ttlSeconds;

        private CallBuilder(String callId, String userId, CallEvent.Action action, String callerId) {
            this.callId = callId;
            this.userId = userId;
            this.action = action;
            this.callerId = callerId;
        }

        public CallBuilder callerName(String callerName) {
            this.callerName = callerName;
            return this;
        }

        public CallBuilder video(boolean video) {
            this.media = video ? CallEvent.Media.VIDEO : CallEvent.Media.AUDIO;
            return this;
        }

        public CallBuilder conversation(String conversationId) {
            this.conversationId = conversationId;
            return this;
        }

        /** How long the call rings (default: the detector's). */
        public CallBuilder ttl(Duration ttl) {
            this.ttlSeconds = ttl.toSeconds();
            return this;
        }

        public CallEvent build() {
            return new CallEvent(Contract.VERSION, callId, userId, action, callerId, callerName, media, conversationId,
                    ttlSeconds, Instant.now());
        }
    }
}
