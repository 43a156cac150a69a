package dev.impush.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.coalesce.CoalesceSettings;
import dev.impush.detector.logic.JobFactory;
import dev.impush.detector.state.DetectorStores;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group-storm coalescing ({@code Coalescer}) through the production topology, on the driver's wall clock. */
class CoalescingTest {
    private static final Instant T0 = Instant.parse("2026-12-04T08:00:00Z");
    private static final String USER = "u42";
    private static final Duration WINDOW = Duration.ofSeconds(3);

    @TempDir
    Path stateDir;

    private DetectorDriver driver;
    private Instant clock = T0;

    private void start(CoalesceSettings settings) {
        driver = new DetectorDriver(DetectorConfig.builder().stateDir(stateDir).coalescing(settings)
                .punctuateInterval(Duration.ofSeconds(1)).build(), T0);
    }

    private void start() {
        start(CoalesceSettings.DEFAULTS.withWindow(WINDOW));
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    /** A device without a connection: every message needs a push. */
    private void register(String deviceId, boolean preview) {
        driver.register(USER, deviceId, "apns", "com.example.chat", preview, false, T0);
    }

    private void online(String deviceId) {
        driver.online(USER, deviceId, clock);
    }

    private void message(String id, String conversation, String type, String sender, boolean mentioned) {
        driver.send(USER, """
                {"v":1,"type":"message","messageId":"%s","userId":"%s","conversationId":"%s","conversationType":"%s",\
                "senderId":"id-%s","senderName":"%s","preview":"text of %s","mentioned":%s,"sentAt":"%s",\
                "ttlSeconds":3600}""".formatted(id, USER, conversation, type, sender, sender, id, mentioned, clock));
    }

    private void groupMessage(String id, String sender) {
        message(id, "g-1", "group", sender, false);
    }

    private void advance(Duration d) {
        clock = clock.plus(d);
        driver.advance(d);
    }

    private List<PushJob> jobs() {
        return driver.jobs();
    }

    private double count(String name, String tag, String value) {
        return driver.count(name, tag, value);
    }

    @Test
    void storm_ofTwentyMessagesInThreeSeconds_isTheFirstPushAndOneUpdateThatReplacesIt() {
        start();
        register("d1", true);
        for (int i = 1; i <= 20; i++) {
            groupMessage("m-" + i, i % 2 == 0 ? "Bob" : "Alice");
            advance(Duration.ofMillis(100));
        }
        List<PushJob> first = jobs();
        assertEquals(List.of("m-1/u42"), first.stream().map(PushJob::jobId).toList(), "the first message pushes at once");
        assertEquals("m-1", first.getFirst().notification().collapseId());

        advance(WINDOW);
        List<PushJob> update = jobs();
        assertEquals(1, update.size(), "one update for the 19 held messages");
        PushJob job = update.getFirst();
        assertEquals("m-20/u42/update", job.jobId());
        assertEquals("m-20", job.messageId());
        assertEquals(List.of("d1"), job.targets().stream().map(PushTarget::deviceId).toList());
        Notification n = job.notification();
        assertEquals("m-1", n.collapseId(), "replaces the first push on the device");
        assertEquals("g-1", n.threadId());
        assertEquals("Bob and Alice", n.title());
        assertEquals("20 new messages: text of m-20", n.body());
        assertEquals("20", n.data().get(JobFactory.COALESCED_KEY));
        assertEquals("m-20", n.data().get(Notification.MESSAGE_ID_KEY));
        assertEquals(19, count(DetectorMetrics.COALESCED, "outcome", "held"));
        assertEquals(1, count(DetectorMetrics.JOBS, "trigger", DetectorMetrics.TRIGGER_COALESCED));

        advance(WINDOW.multipliedBy(2));
        assertTrue(driver.noJobs(), "a window without messages sends nothing and closes");
        assertStoresEmpty();
        groupMessage("m-21", "Carol");
        List<PushJob> after = jobs();
        assertEquals(1, after.size(), "after the storm, the next message pushes at once");
        assertEquals("m-21", after.getFirst().notification().collapseId(), "as a notification of its own");
    }

    @Test
    void longStorm_updatesOncePerWindow_withTheRunningCountAndTheSameCollapseId() {
        start();
        register("d1", true);
        String[] senders = {"Alice", "Bob", "Carol", "Dan"};
        for (int i = 1; i <= 40; i++) {
            groupMessage("m-" + i, senders[i % senders.length]);
            advance(Duration.ofMillis(200)); // 8 s of messages: windows end at 3, 6 and 9 s
        }
        advance(WINDOW);
        List<PushJob> out = jobs();
        assertEquals("m-1/u42", out.getFirst().jobId());
        List<PushJob> updates = out.subList(1, out.size());
        assertEquals(3, updates.size(), "one update per window while messages keep coming: " + out);
        assertTrue(updates.stream().allMatch(j -> j.notification().collapseId().equals("m-1")));
        assertEquals("m-40/u42/update", updates.getLast().jobId());
        assertEquals("40 new messages: text of m-40", updates.getLast().notification().body());
        assertEquals("Alice and 3 others", updates.getLast().notification().title());
    }

    @Test
    void messagesSentAgain_duringAWindow_areNotCountedTwice() {
        start();
        register("d1", true);
        groupMessage("m-1", "Alice");
        groupMessage("m-2", "Alice");
        groupMessage("m-1", "Alice"); // the platform's retries
        groupMessage("m-2", "Alice");
        advance(WINDOW.plusSeconds(1));
        List<PushJob> out = jobs();
        assertEquals(List.of("m-1/u42", "m-2/u42/update"), out.stream().map(PushJob::jobId).toList());
        assertEquals("2 new messages: text of m-2", out.get(1).notification().body());
    }

    @Test
    void mentionsAndDirectMessages_bypassTheHold_byDefault() {
        start();
        register("d1", true);
        groupMessage("m-1", "Alice");
        groupMessage("m-2", "Alice");
        message("m-3", "g-1", "group", "Bob", true);
        message("m-4", "dm-1", "direct", "Carol", false);
        message("m-5", "dm-1", "direct", "Carol", false);
        assertEquals(List.of("m-1/u42", "m-3/u42", "m-4/u42", "m-5/u42"), jobs().stream().map(PushJob::jobId).toList());

        advance(WINDOW.plusSeconds(1));
        List<PushJob> updates = jobs();
        assertEquals(List.of("m-2/u42/update"), updates.stream().map(PushJob::jobId).toList());
        assertEquals("2 new messages: text of m-2", updates.getFirst().notification().body(),
                "the @mention went out on its own and is not counted in the window");
    }

    @Test
    void bypassNone_coalescesDirectConversationsAndMentionsToo() {
        start(CoalesceSettings.DEFAULTS.withWindow(WINDOW).withBypass(false, false));
        register("d1", true);
        message("m-1", "dm-1", "direct", "Carol", false);
        message("m-2", "dm-1", "direct", "Carol", true);
        advance(WINDOW.plusSeconds(1));
        assertEquals(List.of("m-1/u42", "m-2/u42/update"), jobs().stream().map(PushJob::jobId).toList());
    }

    @Test
    void off_pushesEveryMessage() {
        start(CoalesceSettings.OFF);
        register("d1", true);
        for (int i = 1; i <= 5; i++) {
            groupMessage("m-" + i, "Alice");
        }
        advance(WINDOW.plusSeconds(1));
        assertEquals(5, jobs().size());
        assertStoresEmpty();
    }

    @Test
    void update_goesOnlyToDevicesStillOffline_withTheCountAloneWherePreviewsAreOff() {
        start();
        register("d1", true);
        register("d2", false);
        register("d3", true);
        groupMessage("m-1", "Alice");
        groupMessage("m-2", "Alice");
        groupMessage("m-3", "Alice");
        online("d3"); // reconnected: the app syncs over its long connection
        assertEquals(2, jobs().size(), "m-1 with and without preview");

        advance(WINDOW.plusSeconds(1));
        List<PushJob> updates = jobs();
        assertEquals(List.of("m-3/u42/update", "m-3/u42/update/nopreview"), updates.stream().map(PushJob::jobId).toList());
        assertEquals(List.of("d1"), updates.get(0).targets().stream().map(PushTarget::deviceId).toList());
        assertEquals(List.of("d2"), updates.get(1).targets().stream().map(PushTarget::deviceId).toList());
        assertEquals("3 new messages", updates.get(1).notification().body());
    }

    @Test
    void theUpdate_forAContentFreeApp_carriesIdsOnly() {
        driver = new DetectorDriver(DetectorConfig.builder().stateDir(stateDir).contentFreeApps(Set.of("com.example.chat"))
                .coalescing(CoalesceSettings.DEFAULTS.withWindow(WINDOW)).build(), T0);
        register("d1", true);
        groupMessage("m-1", "Alice");
        groupMessage("m-2", "Bob");
        advance(WINDOW.plusSeconds(1));
        List<PushJob> out = jobs();
        assertEquals(List.of("m-1/u42/contentfree", "m-2/u42/update/contentfree"), out.stream().map(PushJob::jobId).toList());
        Notification update = out.get(1).notification();
        assertEquals(JobFactory.GENERIC_BODY, update.body());
        assertEquals(null, update.title(), "no senders");
        assertEquals("m-1", update.collapseId(), "still replaces the first push");
        assertEquals(Map.of("messageId", "m-2", "conversationId", "g-1"), update.data());
    }

    @Test
    void messagesForOnlineDevices_areNotHeld() {
        start();
        register("d1", true);
        online("d1");
        groupMessage("m-1", "Alice");
        groupMessage("m-2", "Alice");
        advance(WINDOW.plusSeconds(1));
        assertTrue(driver.noJobs(), "the connection delivers them (and the ack tracker waits for their acks)");
        assertEquals(0, count(DetectorMetrics.COALESCED, "outcome", "held"));
    }

    @Test
    void update_ofAWindowWhoseDevicesAllReconnected_isDropped() {
        start();
        register("d1", true);
        groupMessage("m-1", "Alice");
        groupMessage("m-2", "Alice");
        online("d1");
        advance(WINDOW.plusSeconds(1));
        assertEquals(List.of("m-1/u42"), jobs().stream().map(PushJob::jobId).toList());
        assertEquals(1, count(DetectorMetrics.DROPPED, "reason", "reconnected"));
    }

    private void assertStoresEmpty() {
        for (String store : List.of(DetectorStores.HOLDS, DetectorStores.HOLD_DUE)) {
            assertTrue(driver.isEmpty(store), store + " keeps nothing once the windows closed");
        }
    }
}
