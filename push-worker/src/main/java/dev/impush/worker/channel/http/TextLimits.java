package dev.impush.worker.channel.http;

/** Vendor field limits count characters; trimming must never split a surrogate pair. */
public final class TextLimits {
    /** What ends a cut text. */
    public static final String ELLIPSIS = "…";

    private TextLimits() {}

    /**
     * {@code text} cut to at most {@code maxChars} code points, ending in "…" when cut;
     * {@code null} stays {@code null}.
     */
    public static String truncate(String text, int maxChars) {
        if (text == null || text.codePointCount(0, text.length()) <= maxChars) {
            return text;
        }
        if (maxChars <= 1) {
            return maxChars == 1 ? ELLIPSIS : "";
        }
        int end = text.offsetByCodePoints(0, maxChars - 1);
        return text.substring(0, end) + ELLIPSIS;
    }
}
