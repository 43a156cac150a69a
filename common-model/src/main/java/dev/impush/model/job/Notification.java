package dev.impush.model.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.impush.model.Priority;
import dev.impush.model.Violations;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.MessageEvent;
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
 * @param passive     shown without sound or lighting the screen (APNs {@code interruption-level: passive},
 *                    Android low priority), e.g. in the user's quiet hours
 * @param localized   keys and arguments the phone localizes (APNs, FCM), {@code null} for none; title and body
 *                    stay the text of the other channels
 * @param contentFree only ids leave impush: APNs an alert with the generic text and
 *                    {@code mutable-content: 1} (a Notification Service Extension fetches and decrypts the
 *                    message), FCM a high-priority data message; no preview, sender or title
 * @param call        a call invite or cancel: APNs VoIP targets get a PushKit push, other APNs targets a
 *                    time-sensitive alert, FCM a high-priority data message for the app's call screen
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
        Map<String, String> data,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean passive, // written only when true: most jobs are not
        LocalizedText localized,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean contentFree,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean call) {

    /** The key under which every push carries the message id (APNs custom key, FCM/vendor data). */
    public static final String MESSAGE_ID_KEY = "messageId";
    /** The key under which a push carries its message's deep link, which the vendors' click actions open too. */
    public static final String ROUTE_KEY = "route";
    /** The key under which every push carries the conversation id, for the app to route the tap. */
    public static final String CONVERSATION_ID_KEY = "conversationId";

    /**
     * Longest body the detector puts in a job: more than any vendor shows (an APNs payload is 4 KB
     * in all; the China vendors show 100-200 characters).
     */
    public static final int MAX_BODY_CHARS = 2000;
    /** Most deep-link data entries a notification carries. */
    public static final int MAX_DATA_ENTRIES = 32;

    public Notification {
        data = data == null ? Map.of() : Map.copyOf(data);
        priority = priority == null ? Priority.HIGH : priority;
    }

    /** A notification that plays as the app's notification settings say (not passive). */
    public Notification(String title, String body, Integer badge, String sound, String collapseId, String threadId,
                        Priority priority, boolean silent, Map<String, String> data) {
        this(title, body, badge, sound, collapseId, threadId, priority, silent, data, false, null, false, false);
    }

    /** The same notification without sound, at normal priority and passive: for quiet hours. */
    public Notification quiet() {
        return new Notification(title, body, badge, null, collapseId, threadId, Priority.NORMAL, silent, data, true, localized,
                contentFree, call);
    }

    java.util.List<String> violations() {
        Violations v = new Violations().maxLength("notification.title", title, ImEvent.MAX_ID_LENGTH)
                .maxLength("notification.body", body, MessageEvent.MAX_PREVIEW_LENGTH)
                .maxLength("notification.sound", sound, ImEvent.MAX_ID_LENGTH)
                .maxLength("notification.collapseId", collapseId, ImEvent.MAX_ID_LENGTH)
                .maxLength("notification.threadId", threadId, ImEvent.MAX_ID_LENGTH)
                .range("notification.badge", badge == null ? 0 : badge, 0, MessageEvent.MAX_BADGE)
                .maxSize("notification.data", data.keySet(), MAX_DATA_ENTRIES);
        data.forEach((k, value) -> v.maxLength("notification.data key", k, ImEvent.MAX_ID_LENGTH)
                .maxLength("notification.data." + (k.length() > 64 ? k.substring(0, 64) : k), value,
                        MessageEvent.MAX_PREVIEW_LENGTH));
        java.util.List<String> all = new java.util.ArrayList<>(v.messages());
        if (localized != null) {
            all.addAll(localized.violations("notification.localized"));
        }
        return all;
    }
}
