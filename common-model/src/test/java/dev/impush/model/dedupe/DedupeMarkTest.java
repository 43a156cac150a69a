package dev.impush.model.dedupe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a dedupe key's value means to a reader that is not the worker (the replay tool). */
class DedupeMarkTest {

    @Test
    void claimsAndAbsentKeys_areNotSettled_marksAre() {
        assertEquals(DedupeMark.NONE, DedupeMark.of(null));
        assertEquals(DedupeMark.IN_FLIGHT, DedupeMark.of("inflight:worker-1/1a2b3c4d"));
        assertEquals(DedupeMark.SENT, DedupeMark.of("sent"));
        assertEquals(DedupeMark.DONE, DedupeMark.of("done:invalid-token"));
        assertFalse(DedupeMark.NONE.settled());
        assertFalse(DedupeMark.IN_FLIGHT.settled());
        assertTrue(DedupeMark.SENT.settled());
        assertTrue(DedupeMark.DONE.settled());
    }
}
