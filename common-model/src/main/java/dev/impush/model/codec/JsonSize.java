package dev.impush.model.codec;

/**
 * How many bytes a string takes as a JSON string value in UTF-8, quotes and escapes included: an
 * exact bound for sizing records before they are encoded (a job split to stay under a byte limit).
 */
public final class JsonSize {
    private JsonSize() {}

    /** The encoded length of {@code s} as a JSON string; 4 ({@code null}) when absent. */
    public static int of(String s) {
        if (s == null) {
            return 4;
        }
        int n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                n += 6;                     // a six-character escape (a short one such as \n is smaller)
            } else if (c == '"' || c == '\\') {
                n += 2;
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                n += 6;                     // Jackson escapes each half of a pair (its UTF-8 default)
            } else {
                n += 3;
            }
        }
        return n;
    }
}
