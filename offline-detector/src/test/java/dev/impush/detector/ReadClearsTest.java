package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.logic.JobFactory;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read elsewhere clears ({@code ReadClears}): the user reads on the iPhone; the Pixel (offline) is told
 * to clear the conversation; the vivo phone has no background push, the Xiaomi phone is connected.
 */
class ReadClearsTest {
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final String USER = "u42";

    @TempDir
    Path stateDir;

    private DetectorDriver driver;

    private void start(UnaryOperator<DetectorConfig.Builder> tweak) {
        driver = new DetectorDriver(tweak.apply(DetectorConfig.builder().stateDir(stateDir)).build(), T0);
        driver.register(USER, "iphone", "apns", "com.example.chat", true, false, T0);
        driver.register(USER, "pixel", "fcm", "com.example.chat.android", true, false, T0);
        driver.register(USER, "vivo", "vivo", "com.example.chat.android", true, false, T0);
        driver.register(USER, "mi", "xiaomi", "com.example.chat.android", true, false, T0);
        driver.online(USER, "mi", T0);
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private void message(String id, String conversation) {
        driver.send(USER, """
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"%s","conversationType":"direct",\
                "senderName":"Alice","preview":"hi","sentAt":"%s"}""".formatted(id, USER, conversation, T0));
    }

    private void read(String conversation, Instant at) {
        driver.send(USER, """
                {"v":1,"type":"read","userId":"%s","conversationId":"%s","deviceId":"iphone","at":"%s"}"""
                .formatted(USER, conversation, at));
    }

    @Test
    void aRead_clearsTheConversationOnTheOtherOfflineDevices_withTheBadgeLeft() {
        start(b -> b);
        message("m-1", "dm-a");
        message("m-2", "dm-b");
        driver.jobs();
        read("dm-a", T0.plusSeconds(1));

        List<PushJob> out = driver.jobs();
        assertEquals(1, out.size());
        PushJob clear = out.getFirst();
        assertEquals(List.of("pixel"), clear.targets().stream().map(PushTarget::deviceId).toList(),
                "not the iPhone it was read on, not vivo (no background push), not the connected Xiaomi phone");
        Notification n = clear.notification();
        assertTrue(n.silent(), "nothing shown");
        assertEquals("dm-a", n.data().get(JobFactory.CLEAR_KEY));
        assertEquals("1", n.data().get(JobFactory.BADGE_KEY), "dm-b is still unread");
        assertEquals(1, driver.count(DetectorMetrics.JOBS, "trigger", DetectorMetrics.TRIGGER_READ));
    }

    @Test
    void aReadingSpree_clearsEachConversationOncePerInterval() {
        start(b -> b);
        read("dm-a", T0);
        read("dm-a", T0);
        read("dm-b", T0);
        assertEquals(2, driver.jobs().size(), "dm-a once, dm-b once");
        driver.advance(Duration.ofSeconds(10));
        read("dm-a", T0.plusSeconds(10));
        assertEquals(1, driver.jobs().size(), "the interval passed");
        assertEquals(1, driver.count(DetectorMetrics.DROPPED, "reason", "read-clear-throttled"));
    }

    @Test
    void aReadOfAConversationWithTheLongestId_makesAJobWithinTheContract() {
        start(b -> b);
        String conversation = "c".repeat(256);
        read(conversation, T0);
        PushJob clear = driver.jobs().getFirst(); // the driver decodes every job as the worker does: valid
        assertEquals(conversation, clear.notification().data().get(JobFactory.CLEAR_KEY));
        assertTrue(clear.messageId().length() <= 256, clear.messageId());
    }

    @Test
    void off_sendsNoClears() {
        start(b -> b.readClearInterval(Duration.ZERO));
        read("dm-a", T0);
        assertTrue(driver.noJobs());
    }
}
