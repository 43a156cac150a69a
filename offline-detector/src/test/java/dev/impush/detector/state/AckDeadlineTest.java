package dev.impush.detector.state;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AckDeadlineTest {
    private static final Instant T = Instant.parse("2026-11-25T08:00:00Z");
    private static final AckDeadline D = new AckDeadline("u42", "m-1", "d1");

    @Test
    void key_sortsByDeadline() {
        assertTrue(D.key(T).compareTo(D.key(T.plusMillis(1))) < 0);
        assertTrue(new AckDeadline("zzz", "m", "d").key(T).compareTo(new AckDeadline("a", "m", "d").key(T.plusMillis(1))) < 0);
    }

    @Test
    void upperBound_coversNowButNotLater() {
        String bound = AckDeadline.upperBound(T);
        assertTrue(D.key(T).compareTo(bound) <= 0);
        assertTrue(new AckDeadline("\uffff", "\uffff", "\uffff").key(T).compareTo(bound) <= 0);
        assertTrue(D.key(T.plusMillis(1)).compareTo(bound) > 0);
        assertTrue(AckDeadline.lowerBound(0).compareTo(D.key(Instant.EPOCH)) <= 0);
    }

    @Test
    void key_idsContainingSeparator_doNotCollide() {
        assertNotEquals(new AckDeadline("a|b", "c", "d").key(T), new AckDeadline("a", "b|c", "d").key(T));
    }
}
