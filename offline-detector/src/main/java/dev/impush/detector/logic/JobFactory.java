package dev.impush.detector.logic;

import dev.impush.detector.state.Hold;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.JsonSize;
import dev.impush.model.event.CallEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.ReadEvent;
import dev.impush.model.event.RecallEvent;
import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns a message and the devices that need it into push jobs. Job ids are deterministic
 * ({@code messageId/userId}, {@code .../nopreview}, {@code .../zombie/<deviceId>}) so the worker's
 * dedupe recognises a job made twice.
 */
public final class JobFactory {
    /** What a device whose user turned previews off shows instead of the text. */
    public static final String GENERIC_BODY = "New message";
    public static final String DEFAULT_SOUND = "default";
    public static final String SENDER_ID_KEY = "senderId";
    public static final String CONVERSATION_TYPE_KEY = "conversationType";
    public static final String CALL_ID_KEY = "callId";
    public static final String CALL_ACTION_KEY = "callAction";
    public static final String CALL_MEDIA_KEY = "media";
    public static final String CALLER_NAME_KEY = "callerName";
    /** In a read-elsewhere clear: the conversation whose notifications the app removes. */
    public static final String CLEAR_KEY = "clear";
    /** In a read-elsewhere clear: the unread count left, for the app to set as its badge. */
    public static final String BADGE_KEY = "badge";
    /** Present ({@code "true"}) when the message @mentions the user. */
    public static final String MENTIONED_KEY = "mentioned";
    /** In an update of a coalescing window: how many messages it stands for. */
    public static final String COALESCED_KEY = "coalesced";
    /** In a recall: the recalled message, whose notification the app removes. */
    public static final String RECALL_KEY = "recall";
    /** What replaces a recalled message's notification. */
    public static final String RECALLED_BODY = "Message recalled";
    /** The key APNs and FCM devices localize {@link #RECALLED_BODY} by (the app's strings file). */
    public static final String RECALLED_BODY_KEY = "IMPUSH_MESSAGE_RECALLED";

    /**
     * Estimated bytes a job may reach before its devices are split over another job: room below the
     * worker's default record limit ({@link ContractCodec#DEFAULT_MAX_BYTES}) for headers and framing.
     */
    public static final int MAX_JOB_BYTES = ContractCodec.DEFAULT_MAX_BYTES - 4096;
    /** Fixed JSON of a job and of a target besides their strings (field names, punctuation, flags). */
    private static final int JOB_FRAMING = 512;
    private static final int TARGET_FRAMING = 160;

    /** What of a message a device's push may show, in the order its jobs are made. */
    public enum Disclosure {
        /** The preview and the sender. */
        PREVIEW(""),
        /** {@link #GENERIC_BODY} instead of the preview (the user turned previews off). */
        NO_PREVIEW("/nopreview"),
        /** Ids only: a content-free push (the message or its app asks for it). */
        CONTENT_FREE("/contentfree");

        private final String jobSuffix;

        Disclosure(String jobSuffix) {
            this.jobSuffix = jobSuffix;
        }
    }

    private final Duration defaultTtl;
    private final Set<String> contentFreeApps;

    public JobFactory(Duration defaultTtl) {
        this(defaultTtl, Set.of());
    }

    /** @param contentFreeApps apps whose pushes carry ids only ({@code IMPUSH_DETECTOR_CONTENT_FREE_APPS}) */
    public JobFactory(Duration defaultTtl, Set<String> contentFreeApps) {
        this.defaultTtl = defaultTtl;
        this.contentFreeApps = Set.copyOf(contentFreeApps);
    }

    /** What a push of {@code m} to {@code d} may show. */
    public Disclosure disclosure(MessageEvent m, RegisteredDevice d) {
        if (m.contentFree() || contentFreeApps.contains(d.appId())) {
            return Disclosure.CONTENT_FREE;
        }
        return d.previewEnabled() ? Disclosure.PREVIEW : Disclosure.NO_PREVIEW;
    }

    /**
     * When the message stops being worth delivering: {@code sentAt + ttl}, ttl 0 meaning the default.
     * The contract bounds both; the clamp keeps a message stored by a release that did not from
     * overflowing the arithmetic.
     */
    public Instant expiresAt(MessageEvent m) {
        return expiresAt(m.sentAt(), m.ttlSeconds());
    }

    /** When a message sent at {@code sentAt} with {@code ttlSeconds} (0: the default) expires. */
    public Instant expiresAt(Instant sentAt, long ttlSeconds) {
        long ttl = ttlSeconds <= 0 ? defaultTtl.toSeconds() : Math.min(ttlSeconds, MessageEvent.MAX_TTL_SECONDS);
        return (sentAt.isAfter(Contract.LATEST) ? Contract.LATEST : sentAt).plusSeconds(ttl);
    }

    public boolean isExpired(MessageEvent m, Instant now) {
        return !now.isBefore(expiresAt(m));
    }

    /**
     * Jobs for {@code devices} (none when empty): one per {@link Disclosure} its devices have (devices
     * showing previews, those with previews off, content-free ones), each split further if it would
     * exceed {@link PushJob#MAX_TARGETS} devices or {@link #MAX_JOB_BYTES}.
     */
    public List<PushJob> forMessage(MessageEvent m, List<RegisteredDevice> devices, Instant now) {
        return jobs(m, m.messageId() + "/" + m.userId(), d -> notification(m, d), devices, now);
    }

    /**
     * The job of a call invite or cancel: id {@code call/<callId>/<userId>/<action>}; the caller as title,
     * "Incoming audio call" (or video) or "Missed call" as body, the collapse id of the call (a cancel
     * replaces the ringing notification), the call's fields as data ({@code callId}, {@code callAction},
     * {@code media}, {@code callerId}, {@code conversationId}). An invite expires when it stops ringing.
     */
    public PushJob forCall(CallEvent c, List<RegisteredDevice> devices, Instant now) {
        boolean invite = c.action() == CallEvent.Action.INVITE;
        String media = c.mediaOrDefault().name().toLowerCase(Locale.ROOT);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Notification.MESSAGE_ID_KEY, c.callId());
        data.put(CALL_ID_KEY, c.callId());
        data.put(CALL_ACTION_KEY, invite ? "invite" : "cancel");
        data.put(CALL_MEDIA_KEY, media);
        if (c.callerId() != null) {
            data.put(SENDER_ID_KEY, c.callerId());
        }
        // a content-free app gets no caller name: the job goes to all of the user's devices at once
        boolean named = devices.stream().noneMatch(d -> contentFreeApps.contains(d.appId()));
        if (c.callerName() != null && named) {
            data.put(CALLER_NAME_KEY, c.callerName());
        }
        if (c.conversationId() != null) {
            data.put(Notification.CONVERSATION_ID_KEY, c.conversationId());
        }
        Notification n = new Notification(named ? c.callerName() : null, invite ? "Incoming " + media + " call" : "Missed call", null,
                invite ? DEFAULT_SOUND : null, CollapseIds.of("call:" + c.callId()), c.conversationId(),
                Priority.HIGH, false, data, false, null, false, true);
        Instant at = c.at().isAfter(Contract.LATEST) ? Contract.LATEST : c.at();
        Instant expiresAt = invite ? at.plusSeconds(c.ringSeconds()) : at.plus(defaultTtl);
        List<PushTarget> targets = devices.stream().map(RegisteredDevice::toTarget).toList();
        return new PushJob(Contract.VERSION, PushJob.TYPE, "call/" + c.callId() + "/" + c.userId() + "/"
                + data.get(CALL_ACTION_KEY), c.callId(), c.userId(), c.conversationId(), n, targets, now, expiresAt, c.at());
    }

    /**
     * The background push that clears {@code e}'s conversation on the user's other devices: id
     * {@code read/<userId>/<conversationId>/<readUpTo millis>}, data {@code clear} (the conversation)
     * and {@code badge} (the unread count left), nothing shown. Worth sending for an hour.
     */
    public PushJob forReadClear(ReadEvent e, int unread, List<RegisteredDevice> devices, Instant now) {
        long upTo = e.readUpToOrAt().toEpochMilli();
        // the conversation's collapse id keeps it within the contract's id length (and identifies it)
        String id = "read:" + CollapseIds.of(e.conversationId()) + ":" + upTo;
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Notification.MESSAGE_ID_KEY, id);
        data.put(Notification.CONVERSATION_ID_KEY, e.conversationId());
        data.put(CLEAR_KEY, e.conversationId());
        data.put(BADGE_KEY, Integer.toString(unread));
        Notification n = new Notification(null, null, null, null, null, e.conversationId(), Priority.NORMAL, true, data);
        List<PushTarget> targets = devices.stream().map(RegisteredDevice::toTarget).toList();
        return new PushJob(Contract.VERSION, PushJob.TYPE, "read/" + e.userId() + "/" + e.conversationId() + "/" + upTo,
                id, e.userId(), e.conversationId(), n, targets, now, now.plus(Duration.ofHours(1)), e.at());
    }

    /**
     * The job that recalls {@code e}'s message on {@code devices}: id {@code recall/<messageId>/<userId>},
     * {@code messageId} {@code recall:<the message's collapse id>} (its own dedupe key, within the id length),
     * the message's collapse id (it replaces the message's notification, on every vendor), "Message
     * recalled" (localized by {@link #RECALLED_BODY_KEY} where the phone localizes), passive and without
     * sound, data {@code recall} = the message. The worker sends it only where the message's push was
     * sent ({@link PushJob.Recall}); it is worth sending for a day.
     */
    public PushJob forRecall(RecallEvent e, List<RegisteredDevice> devices, Instant now) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Notification.CONVERSATION_ID_KEY, e.conversationId());
        data.put(RECALL_KEY, e.messageId());
        Notification n = new Notification(null, RECALLED_BODY, null, null, CollapseIds.of(e.messageId()),
                e.conversationId(), Priority.HIGH, false, data, true,
                new LocalizedText(null, List.of(), RECALLED_BODY_KEY, List.of()), false, false);
        List<PushTarget> targets = devices.stream().map(RegisteredDevice::toTarget).toList();
        Instant at = e.at().isAfter(Contract.LATEST) ? Contract.LATEST : e.at();
        return new PushJob(Contract.VERSION, PushJob.TYPE, "recall/" + e.messageId() + "/" + e.userId(),
                "recall:" + CollapseIds.of(e.messageId()), e.userId(), e.conversationId(), n, targets, now, at.plus(Duration.ofDays(1)),
                e.at(), new PushJob.Recall(e.messageId(), expiresAt(e.sentAt(), e.ttlSeconds())));
    }

    /** A job for one device whose long connection took the message but never acked it. */
    public PushJob forZombie(MessageEvent m, RegisteredDevice device, Instant now) {
        String jobId = m.messageId() + "/" + m.userId() + "/zombie/" + device.deviceId();
        return job(m, jobId, notification(m, disclosure(m, device)), List.of(device.toTarget()), now);
    }

    /**
     * Jobs for the update of a coalescing window ({@code hold} holds a message): the latest held message,
     * titled with its senders and counting the window's messages, with the collapse id of the
     * window's first push, which it replaces on the device. Ids {@code <latest messageId>/<userId>/update}.
     */
    public List<PushJob> forUpdate(Hold hold, List<RegisteredDevice> devices, Instant now) {
        MessageEvent m = hold.latest();
        return jobs(m, m.messageId() + "/" + m.userId() + "/update", d -> update(hold, d), devices, now);
    }

    /** A job per {@link Disclosure} of {@code devices}: {@code base}, {@code base/nopreview}, {@code base/contentfree}. */
    private List<PushJob> jobs(MessageEvent m, String base, Function<Disclosure, Notification> notification,
                               List<RegisteredDevice> devices, Instant now) {
        Map<Disclosure, List<PushTarget>> byDisclosure = new EnumMap<>(Disclosure.class);
        for (RegisteredDevice d : devices) {
            byDisclosure.computeIfAbsent(disclosure(m, d), k -> new ArrayList<>()).add(d.toTarget());
        }
        List<PushJob> jobs = new ArrayList<>();
        byDisclosure.forEach((d, targets) -> addJobs(jobs, m, base + d.jobSuffix, notification.apply(d), targets, now));
        return jobs;
    }

    /**
     * The update's notification: title "Alice", "Alice and Bob" or "Alice and 3 others" (the latest
     * sender first), body "5 new messages: " and the latest preview ({@code preview=false}: the count alone).
     */
    static Notification update(Hold hold, Disclosure disclosure) {
        Notification latest = notification(hold.latest(), disclosure);
        if (disclosure == Disclosure.CONTENT_FREE) {
            return withCollapseId(latest, hold.collapseId()); // ids only: no count, no senders
        }
        boolean preview = disclosure == Disclosure.PREVIEW;
        Map<String, String> data = new LinkedHashMap<>(latest.data());
        data.put(COALESCED_KEY, Integer.toString(hold.count()));
        String count = hold.count() + " new messages";
        String text = hold.latest().preview();
        String body = preview && text != null && !text.isEmpty() ? count + ": " + latest.body() : count;
        return new Notification(senders(hold.senders(), latest.title()), body, latest.badge(), latest.sound(),
                hold.collapseId(), latest.threadId(), latest.priority(), latest.silent(), data); // its own text, not localized
    }

    private static String senders(List<String> names, String fallback) {
        return switch (names.size()) {
            case 0 -> fallback;
            case 1 -> names.getFirst();
            case 2 -> names.get(0) + " and " + names.get(1);
            default -> names.getFirst() + " and " + (names.size() - 1) + (names.size() == Hold.MAX_SENDERS ? "+" : "")
                    + " others";
        };
    }

    /** The notification to render for devices of {@code disclosure}. */
    public static Notification notification(MessageEvent m, Disclosure disclosure) {
        return disclosure == Disclosure.CONTENT_FREE ? contentFree(m) : notification(m, disclosure == Disclosure.PREVIEW);
    }

    /**
     * Ids only ({@code messageId}, {@code conversationId}), the generic text as the alert: the app's
     * Notification Service Extension (iOS) or its data handler (Android) fetches and decrypts the message.
     */
    private static Notification contentFree(MessageEvent m) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Notification.MESSAGE_ID_KEY, m.messageId());
        data.put(Notification.CONVERSATION_ID_KEY, m.conversationId());
        return new Notification(null, GENERIC_BODY, m.badge(), m.silent() ? null : DEFAULT_SOUND,
                CollapseIds.of(m.messageId()), m.conversationId(), m.priorityOrDefault(), m.silent(), data, false, null,
                true, false);
    }

    private static Notification withCollapseId(Notification n, String collapseId) {
        return new Notification(n.title(), n.body(), n.badge(), n.sound(), collapseId, n.threadId(), n.priority(),
                n.silent(), n.data(), n.passive(), n.localized(), n.contentFree(), n.call());
    }

    /** The notification to render; {@code preview=false} replaces the text with {@link #GENERIC_BODY}. */
    public static Notification notification(MessageEvent m, boolean preview) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Notification.MESSAGE_ID_KEY, m.messageId());
        data.put(Notification.CONVERSATION_ID_KEY, m.conversationId());
        if (m.senderId() != null) {
            data.put(SENDER_ID_KEY, m.senderId());
        }
        if (m.mentioned()) {
            data.put(MENTIONED_KEY, "true");
        }
        if (m.route() != null) {
            data.put(Notification.ROUTE_KEY, m.route());
        }
        if (m.conversationType() != null) {
            data.put(CONVERSATION_TYPE_KEY, m.conversationType().name().toLowerCase(Locale.ROOT));
        }
        String body = preview ? (m.preview() == null ? "" : m.withPreviewAtMost(Notification.MAX_BODY_CHARS).preview())
                : GENERIC_BODY;
        LocalizedText localized = m.localized() == null || preview ? m.localized() : m.localized().withoutBody();
        return new Notification(m.senderName(), body, m.badge(), m.silent() ? null : DEFAULT_SOUND,
                CollapseIds.of(m.messageId()), m.conversationId(), m.priorityOrDefault(), m.silent(), data, false,
                localized, false, false);
    }

    private void addJobs(List<PushJob> out, MessageEvent m, String jobId, Notification n, List<PushTarget> targets,
                         Instant now) {
        if (targets.isEmpty()) {
            return;
        }
        int fixed = JOB_FRAMING + 3 * JsonSize.of(jobId) + JsonSize.of(m.userId()) + JsonSize.of(m.conversationId())
                + size(n);
        List<List<PushTarget>> chunks = new ArrayList<>();
        List<PushTarget> chunk = new ArrayList<>();
        int bytes = fixed;
        for (PushTarget t : targets) {
            int size = size(t);
            if (!chunk.isEmpty() && (chunk.size() == PushJob.MAX_TARGETS || bytes + size > MAX_JOB_BYTES)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                bytes = fixed;
            }
            chunk.add(t);
            bytes += size;
        }
        chunks.add(chunk);
        if (chunks.size() == 1) {
            out.add(job(m, jobId, n, chunk, now));
            return;
        }
        for (int i = 0; i < chunks.size(); i++) {
            out.add(job(m, jobId + "/part-" + (i + 1), n, chunks.get(i), now));
        }
    }

    private static int size(PushTarget t) {
        return TARGET_FRAMING + JsonSize.of(t.deviceId()) + JsonSize.of(t.token()) + JsonSize.of(t.appId());
    }

    private static int size(Notification n) {
        int bytes = JsonSize.of(n.title()) + JsonSize.of(n.body()) + JsonSize.of(n.sound()) + JsonSize.of(n.collapseId())
                + JsonSize.of(n.threadId());
        for (var e : n.data().entrySet()) {
            bytes += JsonSize.of(e.getKey()) + JsonSize.of(e.getValue()) + 2;
        }
        LocalizedText l = n.localized();
        if (l != null) {
            bytes += 64 + JsonSize.of(l.titleKey()) + JsonSize.of(l.bodyKey());
            for (String a : l.titleArgs()) {
                bytes += JsonSize.of(a) + 1;
            }
            for (String a : l.bodyArgs()) {
                bytes += JsonSize.of(a) + 1;
            }
        }
        return bytes;
    }

    private PushJob job(MessageEvent m, String jobId, Notification n, List<PushTarget> targets, Instant now) {
        return new PushJob(Contract.VERSION, PushJob.TYPE, jobId, m.messageId(), m.userId(), m.conversationId(), n,
                targets, now, expiresAt(m), m.sentAt());
    }
}
