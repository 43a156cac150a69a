package dev.impush.worker.channel.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests of UTF-8 text, as vendors sign and identify things. */
public final class Digests {
    private Digests() {}

    /** The lowercase hex {@code MD5} of {@code text}. */
    public static String md5Hex(String text) {
        return HexFormat.of().formatHex(digest("MD5", text));
    }

    /** The lowercase hex {@code SHA-256} of {@code text}. */
    public static String sha256Hex(String text) {
        return HexFormat.of().formatHex(digest("SHA-256", text));
    }

    /** The {@code algorithm} digest of {@code text}'s UTF-8 bytes; MD5 and SHA-256 are in every JVM. */
    public static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JVM", e);
        }
    }
}
