package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.model.job.PushJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server-side unread badge ({@code Badges}): messages raise it, {@code read} events lower it. */
class UnreadBadgeTest {
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final String USER = "u42";

    @TempDir
    Path stateDir;

    private DetectorDriver driver;
    private Instant clock = T0;

    private void start(UnaryOperator<DetectorConfig.Builder> tweak) {
        driver = new DetectorDriver(tweak.apply(DetectorConfig.builder().stateDir(stateDir)).build(), T0);
        driver.register(USER, "d1", "apns", "com.example.chat", true, false, T0);
    }

    private void start() {
        start(b -> b);
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private void send(String json) {
        driver.send(USER, json);
    }

    /** A direct message (never coalesced by default), without a badge unless {@code badge} is given. */
    private Integer push(String messageId, String conversationId, String badge) {
        clock = clock.plusSeconds(1);
        send("""
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"%s",\
                "conversationType":"direct","senderName":"Alice","preview":"hi",%s"sentAt":"%s"}"""
                .formatted(messageId, USER, conversationId, badge == null ? "" : "\"badge\":" + badge + ",", clock));
        List<PushJob> out = driver.jobs();
        assertEquals(1, out.size());
        return out.getFirst().notification().badge();
    }

    private Integer push(String messageId, String conversationId) {
        return push(messageId, conversationId, null);
    }

    private void read(String conversationId, Instant readUpTo, Integer unread) {
        send("""
                {"v":1,"type":"read","userId":"%s","conversationId":"%s",%s%s"at":"%s","deviceId":"d1"}""".formatted(USER, conversationId,
                readUpTo == null ? "" : "\"readUpTo\":\"" + readUpTo + "\",",
                unread == null ? "" : "\"unread\":" + unread + ",", clock));
    }

    @Test
    void badge_isTheUnreadCountOverAllConversations_andFallsWithReads() {
        start();
        assertEquals(1, push("m-1", "c-1"));
        assertEquals(2, push("m-2", "c-1"));
        assertEquals(3, push("m-3", "c-2"));
        read("c-1", null, null); // read up to now: both of c-1
        assertEquals(2, push("m-4", "c-2"));
        read("c-2", null, 1); // the platform says one stays unread
        assertEquals(2, push("m-5", "c-3"));
    }

    @Test
    void aPartialRead_withoutTheRemainingCount_leavesTheConversationUnread() {
        start();
        push("m-1", "c-1");
        Instant first = clock;
        push("m-2", "c-1");
        read("c-1", first, null); // m-2 arrived after what was read; how many remain is not known here
        assertEquals(3, push("m-3", "c-1"));
        read("c-1", clock, null);
        assertEquals(1, push("m-4", "c-1"));
    }

    @Test
    void aMessageSentAgain_countsOnce() {
        start();
        assertEquals(1, push("m-1", "c-1"));
        assertEquals(1, push("m-1", "c-1"), "the platform's retry of m-1");
        assertEquals(2, push("m-2", "c-1"));
    }

    @Test
    void thePlatformsBadge_wins_andSuchMessagesAreNotCounted() {
        start();
        assertEquals(7, push("m-1", "c-1", "7"));
        assertEquals(1, push("m-2", "c-1"));
    }

    @Test
    void off_leavesTheBadgeToThePlatform() {
        start(b -> b.unreadBadge(false));
        assertNull(push("m-1", "c-1"));
        assertEquals(4, push("m-2", "c-1", "4"));
    }

    @Test
    void aRead_endsTheConversationsCoalescingWindow() {
        start(b -> b.coalescing(CoalesceSettings.DEFAULTS.withBypass(true, false)));
        assertEquals(1, push("m-1", "c-1"));
        read("c-1", null, null);
        assertEquals(1, push("m-2", "c-1"), "pushed at once, not held for an update: the first was read");
        driver.advance(Duration.ofSeconds(10));
        assertTrue(driver.noJobs(), "no update: nothing was held");
    }
}
