package dev.impush.model.job;

import dev.impush.model.Priority;
import java.util.Map;

/**
 * What the phone shows, vendor-neutral; each channel renders it to its own payload and trims it to
 * its own limits.
 *
 * @param title       the sender or conversation name
 * @param body        the preview text (empty when the user disabled previews)
 * @param badge       the app badge to set, when known
 * @param sound       the sound to play ({@code "default"}), absent for none
 * @param collapseId  collapses duplicates on the device; derived from the message id
 * @param threadId    groups notifications of one conversation
 * @param priority    {@code high} wakes the device now
 * @param silent      a background (content-available) push with nothing shown
 * @param data        deep-link data for the app (always includes {@code messageId})
 */
public record Notification(
        String title,
        String body,
        Integer badge,
        String sound,
        String collapseId,
        String threadId,
        Priority priority,
        boolean silent,
        Map<String, String> data) {

    public Notification {
        data = data == null ? Map.of() : Map.copyOf(data);
        priority = priority == null ? Priority.HIGH : priority;
    }
}
