package dev.impush.detector.logic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Collapse ids derived from message ids, so a rare double send shows as one notification. */
public final class CollapseIds {
    /** APNs rejects an {@code apns-collapse-id} longer than 64 bytes; the other vendors allow at least as much. */
    public static final int MAX_BYTES = 64;

    private CollapseIds() {}

    /** The message id itself when it fits in 64 UTF-8 bytes, else its SHA-256 in hex (exactly 64 characters). */
    public static String of(String messageId) {
        byte[] bytes = messageId.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_BYTES) {
            return messageId;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return HexFormat.of().formatHex(digest).substring(0, MAX_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
