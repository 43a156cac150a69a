package dev.impush.model.event;

import dev.impush.model.Violations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The user's notification preferences, all of them ({@link #quietHours()} absent: none). An event older
 * than the preferences stored ({@link #at()}) is ignored.
 */
public record PreferencesEvent(int v, String userId, QuietHours quietHours, Instant at) implements ImEvent {

    @Override
    public List<String> violations() {
        List<String> all = new ArrayList<>(new Violations().required("userId", userId)
                .maxLength("userId", userId, MAX_ID_LENGTH).required("at", at).time("at", at).messages());
        if (quietHours != null) {
            all.addAll(quietHours.violations());
        }
        return all;
    }
}
