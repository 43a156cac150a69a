package dev.impush.model.broadcast;

import dev.impush.model.Violations;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.job.Notification;
import java.util.List;
import java.util.Map;

/**
 * What a broadcast shows: a title and a body (at least one), optional deep-link {@code data} and a
 * {@code route} (the screen the tap opens, carried to the app as the data entry {@code route}),
 * and a sound ({@code default} unless told; absent with {@code silent}).
 */
public record BroadcastContent(String title, String body, Map<String, String> data, String route, String sound,
                               boolean silent) {
    /** Most characters of all texts together: the job with 64 devices stays far below the worker's record limit. */
    public static final int MAX_CHARS = 16 * 1024;
    /** The data key under which the app receives {@link #route()} (the same as a message's). */
    public static final String ROUTE_KEY = Notification.ROUTE_KEY;

    public BroadcastContent {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    List<String> violations() {
        Violations v = new Violations()
                .check(silent || notBlank(title) || notBlank(body),
                        "notification needs a title or a body (or \"silent\": true)")
                .maxLength("notification.title", title, ImEvent.MAX_ID_LENGTH)
                .maxLength("notification.body", body, Notification.MAX_BODY_CHARS)
                .maxLength("notification.route", route, MessageEvent.MAX_PREVIEW_LENGTH)
                .maxLength("notification.sound", sound, ImEvent.MAX_ID_LENGTH)
                .maxSize("notification.data", data.keySet(), Notification.MAX_DATA_ENTRIES - 2);
        data.forEach((k, value) -> v.maxLength("notification.data key", k, ImEvent.MAX_ID_LENGTH)
                .maxLength("notification.data." + (k.length() > 64 ? k.substring(0, 64) : k), value,
                        MessageEvent.MAX_PREVIEW_LENGTH));
        int chars = length(title) + length(body) + length(route) + length(sound);
        for (var e : data.entrySet()) {
            chars += length(e.getKey()) + length(e.getValue());
        }
        v.check(chars <= MAX_CHARS, "notification has " + chars + " characters, more than " + MAX_CHARS);
        return v.messages();
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
