package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.DetectorStores;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recall ({@code RecallHandler}): the detector forgets what it still holds of the message and sends one
 * recall job, which replaces the message's notification (same collapse id) wherever the worker finds
 * its push was sent. The user has an iPhone and a Xiaomi phone offline, a Pixel online, a VoIP token.
 */
class RecallTest {
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final String USER = "u42";
    private static final Duration WINDOW = Duration.ofSeconds(3);

    @TempDir
    Path stateDir;

    private DetectorDriver driver;

    private void start(CoalesceSettings coalescing) {
        driver = new DetectorDriver(DetectorConfig.builder().stateDir(stateDir).coalescing(coalescing)
                .punctuateInterval(Duration.ofSeconds(1)).build(), T0);
        driver.register(USER, "iphone", "apns", "com.example.chat", true, false, T0);
        driver.register(USER, "mi", "xiaomi", "com.example.chat.android", true, false, T0);
        driver.register(USER, "pixel", "fcm", "com.example.chat.android", true, false, T0);
        driver.register(USER, "iphone-voip", "apns", "com.example.chat", true, true, T0);
        driver.online(USER, "pixel", T0);
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    private void message(String id, String conversation, Instant sentAt) {
        driver.send(USER, """
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"%s","conversationType":"group",\
                "senderName":"Alice","preview":"the secret","sentAt":"%s"}""".formatted(id, USER, conversation, sentAt));
    }

    private void recall(String id, String conversation, Instant sentAt, Instant at) {
        driver.send(USER, """
                {"v":1,"type":"recall","userId":"%s","messageId":"%s","conversationId":"%s","sentAt":"%s","at":"%s"}"""
                .formatted(USER, id, conversation, sentAt, at));
    }

    @Test
    void aRecall_replacesTheNotificationOnEveryDevice_withoutItsText() {
        start(CoalesceSettings.OFF);
        message("m-1", "g-1", T0);
        assertEquals(1, driver.jobs().size(), "the offline iPhone and Xiaomi phone are pushed");
        recall("m-1", "g-1", T0, T0.plusSeconds(30));

        List<PushJob> out = driver.jobs();
        assertEquals(1, out.size());
        PushJob job = out.getFirst();
        assertEquals("recall/m-1/" + USER, job.jobId());
        assertEquals("recall:m-1", job.messageId(), "its own dedupe key, apart from the message's");
        assertEquals(new PushJob.Recall("m-1", T0.plus(Duration.ofDays(1))), job.recall(),
                "the message's expiry (sentAt + the default TTL): where its marks live");
        assertEquals(List.of("iphone", "mi", "pixel"), job.targets().stream().map(PushTarget::deviceId).sorted().toList(),
                "every device but the VoIP token: the worker knows which got the message");
        Notification n = job.notification();
        assertEquals("m-1", n.collapseId(), "replaces the message's notification");
        assertEquals(JobFactory.RECALLED_BODY, n.body());
        assertNull(n.title(), "not even the sender");
        assertNull(n.sound());
        assertTrue(n.passive());
        assertEquals(Priority.HIGH, n.priority(), "the text leaves the lock screen now");
        assertEquals(JobFactory.RECALLED_BODY_KEY, n.localized().bodyKey());
        assertEquals("m-1", n.data().get(JobFactory.RECALL_KEY));
        assertFalse(n.data().containsValue("the secret"));
        assertEquals(1, driver.count(DetectorMetrics.JOBS, "trigger", DetectorMetrics.TRIGGER_RECALL));
    }

    @Test
    void aRecall_beforeTheAckTimeout_endsTheWait_soTheOnlineDeviceIsNeverPushed() {
        start(CoalesceSettings.OFF);
        message("m-2", "g-1", T0);
        driver.jobs();
        assertFalse(driver.isEmpty(DetectorStores.PENDING_ACKS), "the Pixel's ack is awaited");
        recall("m-2", "g-1", T0, T0.plusSeconds(2));
        assertTrue(driver.isEmpty(DetectorStores.PENDING_ACKS) && driver.isEmpty(DetectorStores.ACK_DEADLINES),
                "no deadline is left to push the Pixel");
        assertEquals(1, driver.count(DetectorMetrics.DROPPED, "reason", "recalled"));
        assertEquals(1, driver.jobs().size(), "the recall job, for the devices pushed meanwhile");
    }

    @Test
    void aRecalledMessageHeldInAStorm_isNotInTheUpdate() {
        start(CoalesceSettings.DEFAULTS.withWindow(WINDOW));
        message("s-1", "g-storm", T0);
        message("s-2", "g-storm", T0.plusMillis(100));
        assertEquals(1, driver.jobs().size(), "s-1 pushed; s-2 held");
        recall("s-2", "g-storm", T0.plusMillis(100), T0.plusMillis(500));
        assertEquals(List.of("recall/s-2/" + USER), driver.jobs().stream().map(PushJob::jobId).toList());
        driver.advance(WINDOW.plusSeconds(1));
        assertTrue(driver.noJobs(), "no update shows the recalled text");
        assertEquals(1, driver.count(DetectorMetrics.DROPPED, "reason", "recalled"));

        message("s-3", "g-storm", T0.plusSeconds(5));
        message("s-4", "g-storm", T0.plusSeconds(5).plusMillis(100));
        driver.advance(WINDOW.plusSeconds(1));
        List<PushJob> later = driver.jobs();
        assertEquals(List.of("s-3/" + USER, "s-4/" + USER + "/update"), later.stream().map(PushJob::jobId).toList(),
                "the window closed empty; the next storm opens its own");
    }

    @Test
    void aRecallAfterTheMessageExpired_findsNothingToRecall() {
        start(CoalesceSettings.OFF);
        recall("m-old", "g-1", T0.minus(Duration.ofDays(2)), T0);
        assertTrue(driver.noJobs());
        assertEquals(1, driver.count(DetectorMetrics.DROPPED, "reason", "recall-expired"));
    }

    @Test
    void aRecallOfAMessageWithTheLongestId_makesAJobWithinTheContract() {
        start(CoalesceSettings.OFF);
        String id = "m".repeat(256);
        recall(id, "g-1", T0, T0.plusSeconds(1));
        PushJob job = driver.jobs().getFirst(); // the driver decodes every job as the worker does: valid
        assertEquals(id, job.recall().messageId());
        assertEquals(id, job.notification().data().get(JobFactory.RECALL_KEY));
        assertTrue(job.messageId().length() <= 256, job.messageId());
    }

    @Test
    void aRecallWithoutSentAt_isDeadLettered() {
        start(CoalesceSettings.OFF);
        driver.send(USER, """
                {"v":1,"type":"recall","userId":"%s","messageId":"m-1","conversationId":"g-1","at":"%s"}""".formatted(USER, T0));
        assertEquals(1, driver.deadLetters());
        assertTrue(driver.noJobs());
    }
}
