package dev.impush.worker.channel.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Function;

/**
 * Fits a JSON request under a vendor's byte limit by trimming the notification text, never the
 * JSON structure.
 *
 * <p>Contract: {@code render(text)} builds the whole request around {@code text}. The result is the
 * request for the full text when its JSON encoding ({@link VendorHttp#jsonBytes}, as sent) fits
 * {@code maxBytes}; otherwise the one for the longest code-point prefix of the text ({@link TextLimits#truncate}, ending in "…") that fits;
 * empty when not even an empty text fits (the rest of the request is too large).
 */
public final class BodyFit {
    private BodyFit() {}

    public static Optional<ObjectNode> longestFitting(String text, int maxBytes, Function<String, ObjectNode> render) {
        ObjectNode full = render.apply(text);
        if (VendorHttp.jsonBytes(full).length <= maxBytes) {
            return Optional.of(full);
        }
        // binary search the longest prefix (in code points) that fits
        int lo = 0;
        int hi = text.codePointCount(0, text.length());
        ObjectNode best = null;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            ObjectNode candidate = render.apply(TextLimits.truncate(text, mid));
            if (VendorHttp.jsonBytes(candidate).length <= maxBytes) {
                best = candidate;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.ofNullable(best);
    }
}
