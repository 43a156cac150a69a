package dev.impush.worker.channel.webpush;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Message encryption for Web Push (RFC 8291): the {@code aes128gcm} content coding (RFC 8188) in one
 * record, keyed by ECDH between a fresh sender key pair and the browser's {@code p256dh} key, mixed with
 * its {@code auth} secret. Output: {@code salt(16) || rs(4) || idlen(1) = 65 || sender key(65) ||
 * AES-128-GCM(plaintext || 0x02)}. Thread-safe (stateless).
 */
final class PayloadEncryption {
    /** The record size announced: one record holds the whole message. */
    static final int RECORD_SIZE = 4096;
    /** Header (86 bytes), tag (16) and padding delimiter (1) come off the 4,096 bytes a push service takes. */
    static final int MAX_PLAINTEXT = RECORD_SIZE - 86 - 16 - 1;
    private static final byte[] KEY_INFO = "WebPush: info\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CEK_INFO = "Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NONCE_INFO = "Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    private PayloadEncryption() {}

    /** {@code plaintext} for the browser with keys {@code p256dh} and {@code auth}, with a fresh sender key and salt. */
    static byte[] encrypt(byte[] plaintext, byte[] p256dh, byte[] auth) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return encrypt(plaintext, p256dh, auth, P256.generate(), salt);
    }

    /** As {@link #encrypt(byte[], byte[], byte[])} with the sender key and salt given (RFC 8291's example uses fixed ones). */
    static byte[] encrypt(byte[] plaintext, byte[] p256dh, byte[] auth, KeyPair sender, byte[] salt) {
        if (plaintext.length > MAX_PLAINTEXT) {
            throw new IllegalArgumentException("plaintext of " + plaintext.length + " bytes > " + MAX_PLAINTEXT);
        }
        try {
            byte[] senderPublic = P256.encode((ECPublicKey) sender.getPublic());
            KeyAgreement ecdh = KeyAgreement.getInstance("ECDH");
            ecdh.init(sender.getPrivate());
            ecdh.doPhase(P256.publicKey(p256dh), true);
            byte[] ecdhSecret = ecdh.generateSecret();
            // IKM = HKDF(salt = auth, ikm = ECDH secret, info = "WebPush: info" 0 || ua_public || as_public, 32)
            byte[] ikm = expand(hmac(auth, ecdhSecret), concat(KEY_INFO, p256dh, senderPublic), 32);
            byte[] prk = hmac(salt, ikm);
            byte[] cek = expand(prk, CEK_INFO, 16);
            byte[] nonce = expand(prk, NONCE_INFO, 12);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
            byte[] padded = Arrays.copyOf(plaintext, plaintext.length + 1);
            padded[plaintext.length] = 2; // the last (only) record's delimiter
            byte[] ciphertext = gcm.doFinal(padded);
            return ByteBuffer.allocate(16 + 4 + 1 + senderPublic.length + ciphertext.length)
                    .put(salt).putInt(RECORD_SIZE).put((byte) senderPublic.length).put(senderPublic).put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Web Push encryption failed", e);
        }
    }

    /** HKDF-Expand (RFC 5869) for at most one block: the first {@code length} bytes of HMAC(prk, info || 0x01). */
    private static byte[] expand(byte[] prk, byte[] info, int length) throws GeneralSecurityException {
        return Arrays.copyOf(hmac(prk, concat(info, new byte[] {1})), length);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }
}
