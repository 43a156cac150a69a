package dev.impush.worker.channel.apns;

import static dev.impush.worker.channel.http.BodyFit.utf8Length;

import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.http.BodyFit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON body of one APNs request, already trimmed to Apple's size limit.
 *
 * <p>Shape: {@code {"aps": {"alert": {"title", "body"}, "badge", "sound", "thread-id", "interruption-level"},
 * <data...>, "messageId"}} ({@code interruption-level} only for a passive notification). A silent push is {@code {"aps": {"content-available": 1}, <data...>, "messageId"}}:
 * Apple's background-update rules say the {@code aps} dictionary holds only {@code content-available}
 * (no alert, sound or badge). Every entry of {@link Notification#data()} becomes a top-level custom
 * key, and {@value Notification#MESSAGE_ID_KEY} always carries the delivery's message id.
 *
 * <p>APNs refuses payloads over {@value #MAX_BYTES} bytes (413 {@code PayloadTooLarge}). The alert
 * body is shortened first (then, if an empty body is not enough, the title), always on a code-point
 * boundary and with a trailing "…", so the JSON stays whole and the UTF-8 valid. When the custom
 * data alone is too large, {@link #fits()} is false and the payload must not be sent.
 *
 * @param json  the payload
 * @param bytes its UTF-8 length
 * @param limit the most bytes Apple takes for its push type ({@value #MAX_BYTES}, VoIP {@value #MAX_VOIP_BYTES})
 */
record ApnsPayload(String json, int bytes, int limit) {

    /** Apple's limit for every push type but VoIP. */
    static final int MAX_BYTES = 4096;
    /** Apple's limit for a VoIP push. */
    static final int MAX_VOIP_BYTES = 5120;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    boolean fits() {
        return bytes <= limit;
    }

    /**
     * A PushKit (VoIP) push of a call: {@code {"aps": {}, <data...>, "messageId"}}. The app reports the
     * call to CallKit from the custom keys (the job's data: {@code callId}, {@code callAction},
     * {@code media}, {@code callerName}...); nothing is trimmed, only the data could be too large.
     */
    static ApnsPayload voip(Notification n, String messageId) {
        StringBuilder out = new StringBuilder(256).append("{\"aps\":{}");
        writeData(out, sortedData(n), messageId);
        String json = out.append('}').toString();
        return new ApnsPayload(json, utf8Length(json), MAX_VOIP_BYTES);
    }

    static ApnsPayload of(Notification n, String messageId) {
        List<Map.Entry<String, String>> data = sortedData(n);
        String title = n.title();
        String json = write(n, messageId, data, title, n.body());
        if (!n.silent() && utf8Length(json) > MAX_BYTES) {
            Optional<String> fit = n.body() == null ? Optional.empty()
                    : BodyFit.longestFittingJson(n.body(), MAX_BYTES, text -> write(n, messageId, data, title, text));
            if (fit.isEmpty() && title != null) { // not even an empty body: the title is shortened
                fit = BodyFit.longestFittingJson(title, MAX_BYTES, text -> write(n, messageId, data, text, ""));
            }
            json = fit.orElse(json);
        }
        return new ApnsPayload(json, utf8Length(json), MAX_BYTES);
    }

    /** Sorted for a stable payload; "aps" belongs to Apple and cannot be overridden by app data. */
    private static List<Map.Entry<String, String>> sortedData(Notification n) {
        List<Map.Entry<String, String>> data = new ArrayList<>(n.data().size());
        for (Map.Entry<String, String> e : n.data().entrySet()) {
            if (!"aps".equals(e.getKey()) && e.getValue() != null) {
                data.add(e);
            }
        }
        if (data.size() > 1) {
            data.sort(Map.Entry.comparingByKey());
        }
        return data;
    }

    /**
     * Writes the payload straight into a string, the form Pushy takes: this runs for every APNs
     * send, and a JSON generator would cost a byte buffer, a copy and a decode more.
     */
    private static String write(Notification n, String messageId, List<Map.Entry<String, String>> data,
                                String title, String body) {
        StringBuilder out = new StringBuilder(160 + length(title) + length(body));
        out.append("{\"aps\":{");
        if (n.silent()) {
            out.append("\"content-available\":1");
        } else {
            out.append("\"alert\":{");
            if (title != null) {
                field(out, "title", title);
            }
            if (body != null) {
                if (title != null) {
                    out.append(',');
                }
                field(out, "body", body);
            }
            LocalizedText l = n.localized();
            if (l != null) {
                localized(out, title != null || body != null, l);
            }
            out.append('}');
            if (n.badge() != null) {
                out.append(",\"badge\":").append(n.badge().intValue());
            }
            if (n.sound() != null) {
                field(out.append(','), "sound", n.sound());
            }
            if (n.threadId() != null) {
                field(out.append(','), "thread-id", n.threadId());
            }
            if (n.contentFree()) {
                out.append(",\"mutable-content\":1"); // the app's Notification Service Extension fetches the text
            }
            if (n.passive()) {
                field(out.append(','), "interruption-level", "passive"); // iOS 15+: no sound, screen stays dark
            } else if (n.call()) {
                field(out.append(','), "interruption-level", "time-sensitive"); // a call, on a device without PushKit
            }
        }
        out.append('}');
        writeData(out, data, messageId);
        return out.append('}').toString();
    }

    /** {@code title-loc-key}, {@code title-loc-args}, {@code loc-key}, {@code loc-args} of the alert. */
    private static void localized(StringBuilder out, boolean comma, LocalizedText l) {
        boolean more = comma;
        if (l.titleKey() != null) {
            field(more ? out.append(',') : out, "title-loc-key", l.titleKey());
            array(out.append(','), "title-loc-args", l.titleArgs());
            more = true;
        }
        if (l.bodyKey() != null) {
            field(more ? out.append(',') : out, "loc-key", l.bodyKey());
            array(out.append(','), "loc-args", l.bodyArgs());
        }
    }

    private static void array(StringBuilder out, String name, List<String> values) {
        quote(out, name);
        out.append(":[");
        for (int i = 0; i < values.size(); i++) {
            quote(i == 0 ? out : out.append(','), values.get(i));
        }
        out.append(']');
    }

    /** The custom keys; the delivery's message id wins over an app-supplied one, in the app's position. */
    private static void writeData(StringBuilder out, List<Map.Entry<String, String>> data, String messageId) {
        boolean idWritten = false;
        for (Map.Entry<String, String> e : data) {
            boolean isId = Notification.MESSAGE_ID_KEY.equals(e.getKey());
            field(out.append(','), e.getKey(), isId ? messageId : e.getValue());
            idWritten |= isId;
        }
        if (!idWritten) {
            field(out.append(','), Notification.MESSAGE_ID_KEY, messageId);
        }
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static void field(StringBuilder out, String name, String value) {
        quote(out, name);
        quote(out.append(':'), value);
    }

    /**
     * A JSON string (RFC 8259): quote, backslash and control characters escaped. A surrogate without
     * its pair, which no encoding can carry, becomes U+FFFD (as a UTF-8 encoder would replace it), so
     * the text always encodes to valid UTF-8.
     */
    static void quote(StringBuilder out, String s) {
        out.append('"');
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++; // a whole pair stays as it is
                continue;
            }
            out.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    }
                }
            }
        }
        out.append(s, from, s.length()).append('"');
    }
}
