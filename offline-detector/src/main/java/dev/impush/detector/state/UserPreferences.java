package dev.impush.detector.state;

import dev.impush.model.event.PreferencesEvent;
import dev.impush.model.event.QuietHours;
import java.time.Instant;

/**
 * A user's notification preferences as the latest {@code preferences} event set them.
 *
 * @param quietHours the do-not-disturb schedule, {@code null} for none
 * @param at         the event's time: an older event is ignored
 */
public record UserPreferences(QuietHours quietHours, Instant at) {

    public static UserPreferences of(PreferencesEvent e) {
        return new UserPreferences(e.quietHours(), e.at());
    }

    /** Whether {@code e} is not older than these preferences (so it replaces them). */
    public boolean isReplacedBy(PreferencesEvent e) {
        return !e.at().isBefore(at);
    }
}
