package dev.impush.worker.channel.apns;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The JSON body of one APNs request, already trimmed to Apple's size limit.
 *
 * <p>Shape: {@code {"aps": {"alert": {"title", "body"}, "badge", "sound", "thread-id"}, <data...>,
 * "messageId"}}. A silent push is {@code {"aps": {"content-available": 1}, <data...>, "messageId"}}:
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
 */
record ApnsPayload(String json, int bytes) {

    /** Apple's limit for every push type but VoIP (5120). */
    static final int MAX_BYTES = 4096;
    static final String ELLIPSIS = "…";

    boolean fits() {
        return bytes <= MAX_BYTES;
    }

    static ApnsPayload of(Notification n, String messageId) {
        // Sorted for a stable payload; "aps" belongs to Apple and cannot be overridden by app data.
        List<Map.Entry<String, String>> data = new ArrayList<>(n.data().size());
        for (Map.Entry<String, String> e : n.data().entrySet()) {
            if (!"aps".equals(e.getKey()) && e.getValue() != null) {
                data.add(e);
            }
        }
        if (data.size() > 1) {
            data.sort(Map.Entry.comparingByKey());
        }
        String title = n.title();
        String body = n.body();
        byte[] encoded = write(n, messageId, data, title, body);
        if (encoded.length > MAX_BYTES && !n.silent()) {
            if (body != null) {
                body = trim(body, text -> write(n, messageId, data, title, text));
                encoded = write(n, messageId, data, title, body);
            }
            if (encoded.length > MAX_BYTES && title != null) {
                String emptyBody = "";
                String shortTitle = trim(title, text -> write(n, messageId, data, text, emptyBody));
                encoded = write(n, messageId, data, shortTitle, emptyBody);
            }
        }
        return new ApnsPayload(new String(encoded, StandardCharsets.UTF_8), encoded.length);
    }

    /**
     * The longest code-point prefix of {@code text} (plus "…") whose payload fits, by binary search
     * over the prefix length: about log2(length) serialisations of a payload of at most a few KB. The
     * serialised size grows monotonically with the prefix, escaping included, so the search is exact.
     * The empty string when not even that fits.
     */
    private static String trim(String text, Function<String, byte[]> render) {
        // Each code point takes at least one byte, so no more than the budget can survive.
        int lo = 0;
        int hi = Math.min(text.codePointCount(0, text.length()), MAX_BYTES);
        String best = "";
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            String candidate = prefix(text, mid);
            if (render.apply(candidate).length <= MAX_BYTES) {
                best = candidate;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }

    private static String prefix(String text, int codePoints) {
        return text.substring(0, text.offsetByCodePoints(0, codePoints)) + ELLIPSIS;
    }

    /** Streams the payload (no tree): this runs for every APNs send. */
    private static byte[] write(Notification n, String messageId, List<Map.Entry<String, String>> data,
                                String title, String body) {
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator g = Json.mapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("aps");
            if (n.silent()) {
                g.writeNumberField("content-available", 1);
            } else {
                g.writeObjectFieldStart("alert");
                if (title != null) {
                    g.writeStringField("title", title);
                }
                if (body != null) {
                    g.writeStringField("body", body);
                }
                g.writeEndObject();
                if (n.badge() != null) {
                    g.writeNumberField("badge", n.badge());
                }
                if (n.sound() != null) {
                    g.writeStringField("sound", n.sound());
                }
                if (n.threadId() != null) {
                    g.writeStringField("thread-id", n.threadId());
                }
            }
            g.writeEndObject();
            boolean idWritten = false;
            for (Map.Entry<String, String> e : data) {
                // the delivery's message id wins over an app-supplied one, in the app's position
                boolean isId = Notification.MESSAGE_ID_KEY.equals(e.getKey());
                g.writeStringField(e.getKey(), isId ? messageId : e.getValue());
                idWritten |= isId;
            }
            if (!idWritten) {
                g.writeStringField(Notification.MESSAGE_ID_KEY, messageId);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise an APNs payload", e);
        }
        return out.toByteArray();
    }
}
