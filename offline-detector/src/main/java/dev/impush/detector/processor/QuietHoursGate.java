package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.UserPreferences;
import dev.impush.model.event.PreferencesEvent;
import dev.impush.model.event.QuietHours;
import dev.impush.model.job.PushJob;
import java.time.Instant;
import java.util.Optional;

/**
 * Quiet hours: every job the detector publishes passes here. In the user's quiet hours (their
 * {@code preferences}, in their time zone) a push goes out without sound, at normal priority and
 * passive ({@code silent} mode, the default) or not at all ({@code drop}); a message that @mentions the
 * user breaks through when they allow it, and so does a call ({@code allowCalls}), which is dropped
 * otherwise (a call that does not ring is no call). Background (silent) pushes pass as they are.
 */
final class QuietHoursGate {
    static final String SILENCED = "silenced";
    static final String DROPPED = "dropped";
    static final String MENTION = "mention";
    static final String CALL = "call";

    private final UserState state;
    private final DetectorMetrics metrics;

    QuietHoursGate(UserState state, DetectorMetrics metrics) {
        this.state = state;
        this.metrics = metrics;
    }

    void preferences(PreferencesEvent e) {
        UserPreferences stored = state.preferences(e.userId());
        if (stored == null || stored.isReplacedBy(e)) {
            state.put(e.userId(), UserPreferences.of(e));
        }
    }

    /** The job to publish at {@code now}: as it is, quiet, or none (dropped in quiet hours). */
    Optional<PushJob> apply(PushJob job, Instant now) {
        UserPreferences prefs = state.preferences(job.userId());
        QuietHours quiet = prefs == null ? null : prefs.quietHours();
        // a recall takes text off the lock screen, passively: never held back
        if (quiet == null || job.notification().silent() || job.recall() != null || !quiet.isQuiet(now)) {
            return Optional.of(job);
        }
        if (job.notification().call()) {
            if (quiet.allowCalls()) {
                metrics.quietHours(CALL);
                return Optional.of(job);
            }
            metrics.quietHours(DROPPED);
            metrics.dropped("quiet-hours");
            return Optional.empty();
        }
        if (quiet.allowMentions() && "true".equals(job.notification().data().get(JobFactory.MENTIONED_KEY))) {
            metrics.quietHours(MENTION);
            return Optional.of(job);
        }
        return switch (quiet.modeOrDefault()) {
            case DROP -> {
                metrics.quietHours(DROPPED);
                metrics.dropped("quiet-hours");
                yield Optional.empty();
            }
            case SILENT -> {
                metrics.quietHours(SILENCED);
                yield Optional.of(job.withNotification(job.notification().quiet()));
            }
        };
    }
}
