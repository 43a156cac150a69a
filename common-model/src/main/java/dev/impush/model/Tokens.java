package dev.impush.model;

/** Device tokens are credentials to a person's phone: only their masked form goes into logs. */
public final class Tokens {
    private Tokens() {}

    /** {@code "3f1c9a…(64)"}: the first six characters and the length, never the whole token. */
    public static String mask(String token) {
        if (token == null) {
            return "null";
        }
        int shown = Math.min(6, token.length() / 4);
        return token.substring(0, shown) + "…(" + token.length() + ")";
    }
}
