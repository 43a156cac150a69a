package dev.impush.worker.channel.webpush;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PayloadEncryptionTest {
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    // RFC 8291 Appendix A: the published example (test data, not credentials)
    private static final byte[] PLAINTEXT = "When I grow up, I want to be a watermelon".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] UA_PUBLIC = B64.decode(
            "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4");
    private static final byte[] AS_PUBLIC = B64.decode(
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8");
    private static final byte[] AS_PRIVATE = B64.decode("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw");
    private static final byte[] AUTH = B64.decode("BTBZMqHH6r4Tts7J_aSIgg");
    private static final byte[] SALT = B64.decode("DGv6ra1nlYgDCS1FRnbzlw");
    private static final byte[] MESSAGE = B64.decode("DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27ml"
            + "mlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWG"
            + "NWQexSgSxsj_Qulcy4a-fN");

    @Test
    void theRfc8291Example_isEncryptedByteForByte() {
        KeyPair sender = new KeyPair(P256.publicKey(AS_PUBLIC), P256.privateKey(AS_PRIVATE));
        assertArrayEquals(MESSAGE, PayloadEncryption.encrypt(PLAINTEXT, UA_PUBLIC, AUTH, sender, SALT));
    }

    @Test
    void eachMessage_hasItsOwnSenderKeyAndSalt() {
        byte[] a = PayloadEncryption.encrypt(PLAINTEXT, UA_PUBLIC, AUTH);
        byte[] b = PayloadEncryption.encrypt(PLAINTEXT, UA_PUBLIC, AUTH);
        assertEquals(MESSAGE.length, a.length, "header 86 + plaintext 41 + delimiter 1 + tag 16");
        assertFalse(Arrays.equals(Arrays.copyOf(a, 16), Arrays.copyOf(b, 16)), "salt");
        assertFalse(Arrays.equals(Arrays.copyOfRange(a, 21, 86), Arrays.copyOfRange(b, 21, 86)), "sender key");
        assertEquals(65, a[20], "idlen: the sender's uncompressed point");
    }

    @Test
    void aPlaintextOverTheRecord_isRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> PayloadEncryption.encrypt(new byte[PayloadEncryption.MAX_PLAINTEXT + 1], UA_PUBLIC, AUTH));
        assertEquals(4096, PayloadEncryption.encrypt(new byte[PayloadEncryption.MAX_PLAINTEXT], UA_PUBLIC, AUTH).length);
    }

    @Test
    void aKeyOffTheCurve_isRefused() {
        byte[] bad = UA_PUBLIC.clone();
        bad[40] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> PayloadEncryption.encrypt(PLAINTEXT, bad, AUTH));
    }
}
