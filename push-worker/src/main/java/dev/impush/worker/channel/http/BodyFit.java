package dev.impush.worker.channel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Function;

/**
 * Fits a JSON request under a vendor's byte limit by trimming the notification text, never the
 * JSON structure.
 *
 * <p>Contract: {@code render(text)} builds the whole request around {@code text}. The result is the
 * request's JSON text as sent ({@link VendorHttp#jsonText}), serialised once: for the full text when
 * its UTF-8 encoding fits {@code maxBytes}; otherwise for the longest code-point prefix of the text
 * ({@link TextLimits#truncate}, ending in "…") that fits; empty when not even an empty text fits (the
 * rest of the request is too large).
 */
public final class BodyFit {
    private BodyFit() {}

    public static Optional<String> longestFitting(String text, int maxBytes, Function<String, ObjectNode> render) {
        return longestFittingJson(text, maxBytes, t -> VendorHttp.jsonText(render.apply(t)));
    }

    /** As {@link #longestFitting}, for a request that {@code json} writes as text itself. */
    public static Optional<String> longestFittingJson(String text, int maxBytes, Function<String, String> json) {
        String full = json.apply(text);
        if (utf8Length(full) <= maxBytes) {
            return Optional.of(full);
        }
        // binary search the longest prefix (in code points) that fits: the size grows with the prefix
        int lo = 0;
        int hi = text.codePointCount(0, text.length());
        String best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            String candidate = json.apply(TextLimits.truncate(text, mid));
            if (utf8Length(candidate) <= maxBytes) {
                best = candidate;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The length of {@code s} in UTF-8, counted without encoding it; a lone surrogate counts 3 (at most what it takes). */
    public static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
