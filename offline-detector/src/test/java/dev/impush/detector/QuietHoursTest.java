package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quiet hours ({@code QuietHoursGate}) on the driver's wall clock, which starts at 23:00 in Shanghai
 * (15:00 UTC): inside a 22:00–07:00 schedule there, outside it in Berlin.
 */
class QuietHoursTest {
    private static final Instant T0 = Instant.parse("2026-12-04T15:00:00Z");
    private static final String USER = "u42";

    @TempDir
    Path stateDir;

    private DetectorDriver driver;
    private int messages;

    @BeforeEach
    void start() {
        driver = new DetectorDriver(DetectorConfig.builder().stateDir(stateDir).build(), T0);
        driver.register(USER, "d1", "apns", "com.example.chat", true, false, T0);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(String json) {
        driver.send(USER, json);
    }

    private void quietHours(String zone, String mode, boolean allowMentions, Instant at) {
        send("""
                {"v":1,"type":"preferences","userId":"%s","quietHours":{"from":"22:00","to":"07:00","zone":"%s",\
                "mode":"%s","allowMentions":%s},"at":"%s"}""".formatted(USER, zone, mode, allowMentions, at));
    }

    /** A direct message (not coalesced); the notification of its push, or {@code null} when none. */
    private Notification message(boolean mentioned) {
        messages++;
        send("""
                {"v":1,"type":"message","messageId":"m-%d","userId":"%s","conversationId":"dm-%d","conversationType":"direct",\
                "senderName":"Alice","preview":"hi","mentioned":%s,"badge":1,"sentAt":"%s","priority":"high"}"""
                .formatted(messages, USER, messages, mentioned, T0));
        List<PushJob> out = driver.jobs();
        assertTrue(out.size() <= 1, out.toString());
        return out.isEmpty() ? null : out.getFirst().notification();
    }

    private double quiet(String outcome) {
        return driver.count(DetectorMetrics.QUIET_HOURS, "outcome", outcome);
    }

    @Test
    void inQuietHours_aPushGoesOutWithoutSound_passive() {
        quietHours("Asia/Shanghai", "silent", false, T0);
        Notification n = message(false);
        assertNull(n.sound());
        assertTrue(n.passive());
        assertEquals(Priority.NORMAL, n.priority());
        assertEquals("hi", n.body(), "still shown");
        assertEquals(1, quiet("silenced"));
    }

    @Test
    void outsideQuietHours_inTheUsersOwnZone_nothingChanges() {
        quietHours("Europe/Berlin", "silent", false, T0); // 16:00 there
        Notification n = message(false);
        assertEquals("default", n.sound());
        assertFalse(n.passive());
        assertEquals(Priority.HIGH, n.priority());
    }

    @Test
    void dropMode_sendsNothing_butAnAllowedMentionBreaksThrough() {
        quietHours("Asia/Shanghai", "drop", true, T0);
        assertNull(message(false));
        Notification mention = message(true);
        assertEquals("default", mention.sound(), "an @mention rings as usual");
        assertFalse(mention.passive());
        assertEquals(1, quiet("dropped"));
        assertEquals(1, quiet("mention"));
    }

    @Test
    void aMention_isSilencedToo_unlessAllowed() {
        quietHours("Asia/Shanghai", "silent", false, T0);
        assertTrue(message(true).passive());
    }

    @Test
    void theQuietHoursEnd_inTheMorning() {
        quietHours("Asia/Shanghai", "drop", false, T0);
        assertNull(message(false));
        driver.advance(Duration.ofHours(8)); // 07:00 in Shanghai
        assertEquals("default", message(false).sound());
    }

    @Test
    void newerPreferencesReplace_olderAreIgnored_andNoneClearsThem() {
        quietHours("Asia/Shanghai", "drop", false, T0);
        quietHours("Europe/Berlin", "drop", false, T0.minusSeconds(60)); // late and older: ignored
        assertNull(message(false));
        send("""
                {"v":1,"type":"preferences","userId":"%s","at":"%s"}""".formatted(USER, T0.plusSeconds(1)));
        assertEquals("default", message(false).sound());
    }

    @Test
    void anUnknownZone_isDeadLettered_andThePreferencesStay() {
        quietHours("Asia/Shanghai", "drop", false, T0);
        quietHours("Mars/Olympus", "silent", false, T0.plusSeconds(1));
        assertEquals(1, driver.deadLetters());
        assertNull(message(false), "the valid preferences still hold");
    }
}
