package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Calls ({@code CallHandler}): an iPhone with an alert and a VoIP token, an Android phone offline and one
 * online, all of user u42.
 */
class CallsTest {
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final String USER = "u42";

    @TempDir
    Path stateDir;

    private DetectorDriver driver;

    @BeforeEach
    void start() {
        driver = new DetectorDriver(DetectorConfig.builder().stateDir(stateDir).build(), T0);
        driver.register(USER, "iphone", "apns", "com.example.chat", true, false, T0);
        driver.register(USER, "iphone.voip", "apns", "com.example.chat", true, true, T0);
        driver.register(USER, "pixel", "fcm", "com.example.chat.android", true, false, T0);
        driver.register(USER, "mi", "xiaomi", "com.example.chat.android", true, false, T0);
        driver.online(USER, "mi", T0);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void send(String json) {
        driver.send(USER, json);
    }

    private void call(String action, Instant at) {
        send("""
                {"v":1,"type":"call","callId":"call-7","userId":"%s","action":"%s","callerId":"u7","callerName":"Alice",\
                "media":"video","conversationId":"dm-7","at":"%s"}""".formatted(USER, action, at));
    }

    private List<PushJob> jobs() {
        return driver.jobs();
    }

    private static List<String> deviceIds(PushJob job) {
        return job.targets().stream().map(PushTarget::deviceId).sorted().toList();
    }

    @Test
    void anInvite_ringsThePushKitTokenAndTheOfflineAndroidPhone_once() {
        call("invite", T0);
        List<PushJob> out = jobs();
        assertEquals(1, out.size());
        PushJob job = out.getFirst();
        assertEquals("call/call-7/u42/invite", job.jobId());
        assertEquals(List.of("iphone.voip", "pixel"), deviceIds(job),
                "the iPhone rings through PushKit (not its alert token); the connected phone over its connection");
        assertTrue(job.targets().stream().filter(t -> t.deviceId().equals("iphone.voip")).allMatch(PushTarget::voip));
        Notification n = job.notification();
        assertTrue(n.call());
        assertEquals("Alice", n.title());
        assertEquals("Incoming video call", n.body());
        assertEquals("call:call-7", n.collapseId());
        assertEquals(Priority.HIGH, n.priority());
        assertEquals("call-7", n.data().get("callId"));
        assertEquals("invite", n.data().get("callAction"));
        assertEquals("video", n.data().get("media"));
        assertEquals(T0.plusSeconds(30), job.expiresAt(), "rings 30 s by default");
    }

    @Test
    void aCancel_turnsTheRingingIntoAMissedCall_underTheSameCollapseId() {
        call("invite", T0);
        call("cancel", T0.plusSeconds(5));
        List<PushJob> out = jobs();
        assertEquals(List.of("call/call-7/u42/invite", "call/call-7/u42/cancel"), out.stream().map(PushJob::jobId).toList());
        Notification cancel = out.get(1).notification();
        assertEquals("Missed call", cancel.body());
        assertEquals(out.get(0).notification().collapseId(), cancel.collapseId());
        assertNull(cancel.sound());
    }

    @Test
    void anInviteThatStoppedRinging_beforeItWasRead_isDropped() {
        call("invite", T0.minusSeconds(31));
        assertTrue(driver.noJobs());
        assertEquals(1, driver.count(DetectorMetrics.DROPPED, "reason", "expired"));
    }

    @Test
    void messages_neverGoToAPushKitToken() {
        send("""
                {"v":1,"type":"message","messageId":"m-1","userId":"%s","conversationId":"dm-7","conversationType":"direct",\
                "senderName":"Alice","preview":"hi","sentAt":"%s"}""".formatted(USER, T0));
        assertEquals(List.of("iphone", "pixel"), deviceIds(jobs().getFirst()));
    }

    @Test
    void inQuietHours_aCallRingsOnlyWhenCallsAreAllowed() {
        String prefs = """
                {"v":1,"type":"preferences","userId":"%s","quietHours":{"from":"07:00","to":"09:00","zone":"UTC",\
                "mode":"silent","allowCalls":%s},"at":"%s"}""";
        send(prefs.formatted(USER, false, T0));
        call("invite", T0);
        assertTrue(driver.noJobs(), "a call that cannot ring is not sent at all");
        send(prefs.formatted(USER, true, T0.plusSeconds(1)));
        call("invite", T0);
        assertEquals(1, jobs().size());
    }
}
