package dev.impush.detector.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Contract;
import dev.impush.model.event.MuteEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserMutesTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");

    private static MuteEvent mute(String conversationId, boolean muted, Instant until, Instant at) {
        return new MuteEvent(Contract.VERSION, "u42", conversationId, muted, until, at);
    }

    @Test
    void mutes_conversationMute_onlyThatConversation() {
        UserMutes m = UserMutes.NONE.apply(mute("c-1", true, null, NOW), NOW, 500, () -> {});
        assertTrue(m.mutes("c-1", NOW));
        assertFalse(m.mutes("c-2", NOW));
    }

    @Test
    void mutes_muteAll_everyConversationUntilItEnds() {
        UserMutes m = UserMutes.NONE.apply(mute(null, true, NOW.plusSeconds(60), NOW), NOW, 500, () -> {});
        assertTrue(m.mutes("c-1", NOW.plusSeconds(59)));
        assertFalse(m.mutes("c-1", NOW.plusSeconds(60)));
    }

    @Test
    void apply_unmute_clearsScope() {
        UserMutes m = UserMutes.NONE.apply(mute("c-1", true, null, NOW), NOW, 500, () -> {})
                .apply(mute("c-1", false, null, NOW.plusSeconds(1)), NOW, 500, () -> {});
        assertFalse(m.mutes("c-1", NOW));
        assertTrue(m.isEmpty());
    }

    @Test
    void apply_olderUnmuteArrivingLate_isIgnored() {
        UserMutes m = UserMutes.NONE.apply(mute("c-1", true, null, NOW), NOW, 500, () -> {})
                .apply(mute("c-1", false, null, NOW.minusSeconds(1)), NOW, 500, () -> {});
        assertTrue(m.mutes("c-1", NOW));
    }

    @Test
    void apply_dropsExpiredMutes() {
        UserMutes m = UserMutes.NONE.apply(mute("c-1", true, NOW.plusSeconds(5), NOW), NOW, 500, () -> {})
                .apply(mute("c-2", true, null, NOW.plusSeconds(10)), NOW.plusSeconds(10), 500, () -> {});
        assertFalse(m.byScope().containsKey("c-1"));
        assertTrue(m.mutes("c-2", NOW.plusSeconds(10)));
    }
}
