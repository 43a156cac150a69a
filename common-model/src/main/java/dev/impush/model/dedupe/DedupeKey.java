package dev.impush.model.dedupe;

import dev.impush.model.Channel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * One notification to one device. The Redis key is {@code impush:dd:{<user>}:<message>:<device>}:
 * the user id is the hash tag, so a user's keys share a Redis Cluster slot.
 *
 * <p>Each id is {@linkplain #escape escaped} first, so no id can end the hash tag early or move
 * a separator: the key is injective in the three ids. Ids without {@code % : { }} are written as
 * they are, giving the same keys as releases that did not escape (their marks still count).
 *
 * <p>Shared by everything that reads or writes dedupe state: the push-worker and the replay tool.
 * What a key holds is told by {@link DedupeMark}.
 */
public record DedupeKey(String userId, String messageId, String deviceId) {
    public String redisKey() {
        return "impush:dd:{" + escape(userId) + "}:" + escape(messageId) + ":" + escape(deviceId);
    }

    /**
     * The token-shield key of a token of this user: {@code impush:bad:{<user>}:<channel>:<sha-256 of
     * the token, base64url>}. Same hash tag as the user's dedupe keys; the hash keeps a 4 KB token
     * from costing 4 KB of Redis memory.
     */
    public static String shieldKey(String userId, Channel channel, String token) {
        byte[] digest = SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8));
        return "impush:bad:{" + escape(userId) + "}:" + channel.wireName() + ":"
                + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** One digest per thread: looking the algorithm up for every delivery cost more than hashing. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    /**
     * Percent-encodes the escape character and the characters that delimit the key's parts: '%'
     * becomes "%25", ':' "%3A", '{' "%7B" and '}' "%7D". An id without them is returned as it is.
     */
    public static String escape(String id) {
        int first = firstSpecial(id);
        if (first < 0) {
            return id;
        }
        StringBuilder b = new StringBuilder(id.length() + 8).append(id, 0, first);
        for (int i = first; i < id.length(); i++) {
            char c = id.charAt(i);
            switch (c) {
                case '%' -> b.append("%25");
                case ':' -> b.append("%3A");
                case '{' -> b.append("%7B");
                case '}' -> b.append("%7D");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static int firstSpecial(String id) {
        for (int i = 0; i < id.length(); i++) {
            switch (id.charAt(i)) {
                case '%', ':', '{', '}' -> {
                    return i;
                }
                default -> { }
            }
        }
        return -1;
    }
}
