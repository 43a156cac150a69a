package dev.impush.model.job;

import dev.impush.model.Contract;
import dev.impush.model.Violations;
import dev.impush.model.event.ImEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One message for one recipient on {@code push.jobs} (key = {@link #userId()}): the notification to
 * render and the devices to send it to. Self-contained, so a dead-lettered job can be replayed as it
 * is. Attempt count, first failure and origin travel in headers ({@link JobHeaders}).
 *
 * @param eventAt when the event that made this job happened (the message's {@code sentAt}), for the
 *                end-to-end latency; optional (a job written by hand or by an older detector has none)
 * @param recall  set on the job that recalls a message: see {@link Recall}; {@code null} on every other job
 */
public record PushJob(
        int v,
        String type,
        String jobId,
        String messageId,
        String userId,
        String conversationId,
        Notification notification,
        List<PushTarget> targets,
        Instant createdAt,
        Instant expiresAt,
        Instant eventAt,
        Recall recall) implements Contract {

    public static final String TYPE = "push";
    /** A job goes to one user's devices; more than this is a broken producer, not a real user. */
    public static final int MAX_TARGETS = 100;
    /** A job id is the message and user ids with a short suffix ({@code /nopreview/part-2}, {@code /zombie/<device>}). */
    public static final int MAX_JOB_ID_LENGTH = 4 * ImEvent.MAX_ID_LENGTH;

    public PushJob {
        targets = targets == null ? List.of() : List.copyOf(targets);
    }

    /** A job that recalls nothing. */
    public PushJob(int v, String type, String jobId, String messageId, String userId, String conversationId,
                   Notification notification, List<PushTarget> targets, Instant createdAt, Instant expiresAt,
                   Instant eventAt) {
        this(v, type, jobId, messageId, userId, conversationId, notification, targets, createdAt, expiresAt, eventAt,
                null);
    }

    /**
     * What a recall job recalls: the message {@code messageId}, whose push expired at {@code expiresAt}
     * (where its dedupe marks live, {@link dev.impush.model.dedupe.DedupeKey#markAnchor}). The worker
     * sends the job's notification (which replaces the message's: same collapse id) to a device only
     * if the message's push was sent to it; where it was not sent yet, it cancels that push for good.
     */
    public record Recall(String messageId, Instant expiresAt) {}

    public static PushJob of(String messageId, String userId, String conversationId, Notification notification,
                             List<PushTarget> targets, Instant createdAt, Instant expiresAt) {
        return new PushJob(VERSION, TYPE, messageId + "/" + userId, messageId, userId, conversationId,
                notification, targets, createdAt, expiresAt, null);
    }

    /** The same job, sent to fewer devices (the ones that still need it). */
    public PushJob withTargets(List<PushTarget> remaining) {
        return new PushJob(v, type, jobId, messageId, userId, conversationId, notification, remaining,
                createdAt, expiresAt, eventAt, recall);
    }

    /** The same job with {@code n} as its notification. */
    public PushJob withNotification(Notification n) {
        return new PushJob(v, type, jobId, messageId, userId, conversationId, n, targets, createdAt, expiresAt, eventAt,
                recall);
    }

    public boolean isExpired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    @Override
    public List<String> violations() {
        Violations v = new Violations()
                .check(TYPE.equals(type), "type must be '" + TYPE + "'")
                .required("jobId", jobId).required("messageId", messageId).required("userId", userId)
                .maxLength("jobId", jobId, MAX_JOB_ID_LENGTH).maxLength("messageId", messageId, ImEvent.MAX_ID_LENGTH)
                .maxLength("userId", userId, ImEvent.MAX_ID_LENGTH)
                .required("notification", notification).required("createdAt", createdAt)
                .time("createdAt", createdAt).time("expiresAt", expiresAt).time("eventAt", eventAt)
                .check(!targets.isEmpty(), "targets must not be empty")
                .maxSize("targets", targets, MAX_TARGETS);
        if (recall != null) {
            v.required("recall.messageId", recall.messageId()).maxLength("recall.messageId", recall.messageId(),
                    ImEvent.MAX_ID_LENGTH).required("recall.expiresAt", recall.expiresAt())
                    .time("recall.expiresAt", recall.expiresAt());
        }
        List<String> all = new ArrayList<>(v.messages());
        if (notification != null) {
            all.addAll(notification.violations());
        }
        for (int i = 0; i < targets.size() && i < MAX_TARGETS; i++) {
            all.addAll(targets.get(i).violations(i));
        }
        return all;
    }
}
