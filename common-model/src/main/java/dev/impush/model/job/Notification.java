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

    /** The key under which every push carries the message id (APNs custom key, FCM/vendor data). */
    public static final String MESSAGE_ID_KEY = "messageId";
    /** The key under which every push carries the conversation id, for the app to route the tap. */
    public static final String CONVERSATION_ID_KEY = "conversationId";

    public Notification {
        data = data == null ? Map.of() : Map.copyOf(data);
        priority = priority == null ? Priority.HIGH : priority;
    }
}
