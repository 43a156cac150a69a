package dev.impush.worker.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceiptTagTest {
    private static final byte[] KEY = "a receipt key of enough bytes".getBytes(StandardCharsets.UTF_8);
    private static final Instant SENT = Instant.parse("2026-12-04T08:00:00.750Z");

    @Test
    void aSignedTag_verifies_toTheSecondItWasSent_andFitsTheVendorsParamLimit() {
        String long256 = "x".repeat(256);
        String signed = ReceiptTag.of(long256, long256, long256, SENT).sign(KEY);
        assertTrue(signed.length() <= 40, signed + " is " + signed.length() + " characters (vendors allow 64)");
        ReceiptTag tag = ReceiptTag.verify(KEY, signed).orElseThrow();
        assertEquals(Instant.parse("2026-12-04T08:00:00Z"), tag.sentAt());
        assertEquals(ReceiptTag.delivery(long256, long256, long256), tag.delivery());
    }

    @Test
    void aTagSignedWithAnotherKey_orAltered_doesNotVerify() {
        String signed = ReceiptTag.of("u1", "m1", "d1", SENT).sign(KEY);
        assertEquals(Optional.empty(), ReceiptTag.verify("another key, just as long".getBytes(StandardCharsets.UTF_8), signed));
        String otherDelivery = ReceiptTag.of("u1", "m2", "d1", SENT).sign(KEY);
        String spliced = otherDelivery.substring(0, otherDelivery.lastIndexOf('.')) + signed.substring(signed.lastIndexOf('.'));
        assertEquals(Optional.empty(), ReceiptTag.verify(KEY, spliced));
        String earlier = Long.toString(SENT.getEpochSecond() - 60, 36) + signed.substring(signed.indexOf('.'));
        assertEquals(Optional.empty(), ReceiptTag.verify(KEY, earlier), "the time is signed too");
        for (String junk : new String[] {null, "", ".", "a.b", "..", "x".repeat(65)}) {
            assertEquals(Optional.empty(), ReceiptTag.verify(KEY, junk), String.valueOf(junk));
        }
    }

    @Test
    void deliveries_ofDifferentIds_differ_evenWhenTheirConcatenationsMatch() {
        assertNotEquals(ReceiptTag.delivery("ab", "c", "d"), ReceiptTag.delivery("a", "bc", "d"));
    }
}
