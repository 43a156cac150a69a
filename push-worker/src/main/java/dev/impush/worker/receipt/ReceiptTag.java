package dev.impush.worker.receipt;

import dev.impush.model.dedupe.DedupeKey;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a push asks its vendor to send back in the receipt (Xiaomi and vivo {@code callback.param}, OPPO
 * {@code call_back_parameter}): {@code <sentAt, epoch seconds in base 36>.<delivery>.<mac>}, 36 characters.
 * The delivery is 12 bytes of SHA-256 over the user, message and device ids (base64url, 16 characters);
 * the mac 8 bytes of HMAC-SHA256 with the receipt key over the rest: a receipt whose tag impush did not
 * sign is refused, so nobody who can reach the receipt endpoint can make up deliveries.
 */
public record ReceiptTag(Instant sentAt, String delivery) {
    private static final int DIGEST_BYTES = 12;
    private static final int MAC_BYTES = 8;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** The tag of the push of {@code messageId} to {@code userId}'s {@code deviceId}, sent at {@code sentAt}. */
    public static ReceiptTag of(String userId, String messageId, String deviceId, Instant sentAt) {
        return new ReceiptTag(Instant.ofEpochSecond(sentAt.getEpochSecond()), delivery(userId, messageId, deviceId));
    }

    /** The delivery digest of (user, message, device): as the dedupe key's ({@link DedupeKey#digest}), shortened. */
    public static String delivery(String userId, String messageId, String deviceId) {
        return B64.encodeToString(Arrays.copyOf(DedupeKey.digest(userId, messageId, deviceId), DIGEST_BYTES));
    }

    /** The tag as sent: signed with {@code key}. */
    public String sign(byte[] key) {
        String body = Long.toString(sentAt.getEpochSecond(), 36) + "." + delivery;
        return body + "." + mac(key, body);
    }

    /** The tag {@code signed} stands for, if {@code key} signed it; empty for anything else. */
    public static Optional<ReceiptTag> verify(byte[] key, String signed) {
        if (signed == null || signed.length() > 64) {
            return Optional.empty();
        }
        int last = signed.lastIndexOf('.');
        int first = signed.indexOf('.');
        if (first <= 0 || last <= first) {
            return Optional.empty();
        }
        String body = signed.substring(0, last);
        byte[] expected = mac(key, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, signed.substring(last + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ReceiptTag(Instant.ofEpochSecond(Long.parseLong(body.substring(0, first), 36)),
                    body.substring(first + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String mac(byte[] key, String body) {
        Mac mac = MACS.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an HMAC key", e);
        }
        return B64.encodeToString(Arrays.copyOf(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)), MAC_BYTES));
    }

    /** One per thread: looking the algorithm up costs more than the HMAC of a tag. */
    private static final ThreadLocal<Mac> MACS = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    });
}
