package dev.impush.worker.channel.apns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

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
        ObjectNode root = Json.mapper().createObjectNode();
        ObjectNode aps = root.putObject("aps");
        ObjectNode alert = null;
        if (n.silent()) {
            aps.put("content-available", 1);
        } else {
            alert = aps.putObject("alert");
            if (n.title() != null) {
                alert.put("title", n.title());
            }
            if (n.body() != null) {
                alert.put("body", n.body());
            }
            if (n.badge() != null) {
                aps.put("badge", n.badge());
            }
            if (n.sound() != null) {
                aps.put("sound", n.sound());
            }
            if (n.threadId() != null) {
                aps.put("thread-id", n.threadId());
            }
        }
        // Sorted for a stable payload; "aps" belongs to Apple and cannot be overridden by app data.
        for (Map.Entry<String, String> e : new TreeMap<>(n.data()).entrySet()) {
            if (!"aps".equals(e.getKey()) && e.getValue() != null) {
                root.put(e.getKey(), e.getValue());
            }
        }
        root.put(Notification.MESSAGE_ID_KEY, messageId);

        byte[] encoded = write(root);
        if (encoded.length > MAX_BYTES && alert != null) {
            encoded = trim(root, alert, "body", encoded);
            if (encoded.length > MAX_BYTES && alert.has("title")) {
                alert.put("body", "");
                encoded = trim(root, alert, "title", write(root));
            }
        }
        return new ApnsPayload(new String(encoded, StandardCharsets.UTF_8), encoded.length);
    }

    /**
     * Shortens {@code alert.field} to the longest code-point prefix (plus "…") that fits, by binary search
     * over the prefix length: about log2(length) serialisations of a payload of at most a few KB. The
     * serialised size grows monotonically with the prefix, escaping included, so the search is exact.
     */
    private static byte[] trim(ObjectNode root, ObjectNode alert, String field, byte[] current) {
        if (!alert.hasNonNull(field)) {
            return current;
        }
        String text = alert.get(field).asText();
        // Each code point takes at least one byte, so no more than the budget can survive.
        int lo = 0;
        int hi = Math.min(text.codePointCount(0, text.length()), MAX_BYTES);
        byte[] best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            alert.put(field, prefix(text, mid));
            byte[] candidate = write(root);
            if (candidate.length <= MAX_BYTES) {
                best = candidate;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (best != null) {
            return best;
        }
        alert.put(field, "");
        return write(root);
    }

    private static String prefix(String text, int codePoints) {
        return text.substring(0, text.offsetByCodePoints(0, codePoints)) + ELLIPSIS;
    }

    private static byte[] write(ObjectNode root) {
        try {
            return Json.mapper().writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an APNs payload", e);
        }
    }
}
