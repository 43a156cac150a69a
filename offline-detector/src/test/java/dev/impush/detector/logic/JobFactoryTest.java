package dev.impush.detector.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.state.RegisteredDevice;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobFactoryTest {
    private static final Instant NOW = Instant.parse("2026-11-25T08:00:00Z");
    private final JobFactory factory = new JobFactory(Duration.ofHours(1));

    private static MessageEvent message(long ttl, boolean silent) {
        return new MessageEvent(Contract.VERSION, "m-1", "u42", "c-17", MessageEvent.ConversationType.DIRECT, "u7",
                "Alice", "lunch?", false, null, NOW, ttl, Priority.NORMAL, silent);
    }

    private static RegisteredDevice device(String id, boolean preview) {
        return new RegisteredDevice(id, Channel.FCM, "tok-" + id, "com.example.chat", false, "en", preview,
                NOW.minusSeconds(10));
    }

    @Test
    void expiresAt_zeroTtl_usesDefault() {
        assertEquals(NOW.plus(Duration.ofHours(1)), factory.expiresAt(message(0, false)));
        assertEquals(NOW.plusSeconds(30), factory.expiresAt(message(30, false)));
    }

    @Test
    void isExpired_atTheExpiryInstant_isTrue() {
        assertFalse(factory.isExpired(message(30, false), NOW.plusSeconds(29)));
        assertTrue(factory.isExpired(message(30, false), NOW.plusSeconds(30)));
    }

    @Test
    void notification_localizedAndRouted_carriesBoth_butNoBodyArgumentsWherePreviewsAreOff() {
        MessageEvent m = message(0, false);
        MessageEvent localized = new MessageEvent(m.v(), m.messageId(), m.userId(), m.conversationId(),
                m.conversationType(), m.senderId(), m.senderName(), m.preview(), true, null, m.sentAt(), 0, null, false,
                "chat://c-17", new LocalizedText("MSG_FROM", List.of("Alice"), "MSG_TEXT", List.of("lunch?")), false);

        Notification shown = JobFactory.notification(localized, true);
        Notification hidden = JobFactory.notification(localized, false);

        assertEquals(localized.localized(), shown.localized());
        assertEquals(new LocalizedText("MSG_FROM", List.of("Alice"), null, List.of()), hidden.localized(),
                "the preview must not reach a device with previews off through loc-args");
        assertEquals("chat://c-17", shown.data().get(Notification.ROUTE_KEY));
        assertEquals("true", shown.data().get(JobFactory.MENTIONED_KEY));
    }

    @Test
    void forMessage_contentFreeAppOrMessage_carriesIdsOnly() {
        JobFactory factory = new JobFactory(Duration.ofHours(1), Set.of("com.example.secure"));
        RegisteredDevice secure = new RegisteredDevice("d2", Channel.APNS, "tok-d2", "com.example.secure", false, "en", true,
                NOW);
        List<PushJob> jobs = factory.forMessage(message(0, false), List.of(device("d1", true), secure), NOW);

        assertEquals(List.of("m-1/u42", "m-1/u42/contentfree"), jobs.stream().map(PushJob::jobId).toList());
        Notification n = jobs.get(1).notification();
        assertTrue(n.contentFree());
        assertNull(n.title());
        assertEquals(JobFactory.GENERIC_BODY, n.body());
        assertEquals(Map.of("messageId", "m-1", "conversationId", "c-17"), n.data());
        assertFalse(jobs.get(0).notification().contentFree());

        MessageEvent m = message(0, false);
        MessageEvent secret = new MessageEvent(m.v(), m.messageId(), m.userId(), m.conversationId(), m.conversationType(),
                m.senderId(), m.senderName(), m.preview(), false, null, m.sentAt(), 0, null, false, null, null, true);
        assertEquals(List.of("m-1/u42/contentfree"), factory.forMessage(secret, List.of(device("d1", true)), NOW).stream()
                .map(PushJob::jobId).toList(), "the message itself asks for it");
    }

    @Test
    void notification_silent_hasNoSound() {
        Notification n = JobFactory.notification(message(0, true), true);
        assertNull(n.sound());
        assertTrue(n.silent());
        assertEquals(Priority.NORMAL, n.priority());
        assertEquals("direct", n.data().get(JobFactory.CONVERSATION_TYPE_KEY));
    }

    @Test
    void forMessage_onlyPreviewDisabledDevices_makesOneNopreviewJob() {
        List<PushJob> jobs = factory.forMessage(message(0, false), List.of(device("d1", false)), NOW);
        assertEquals(1, jobs.size());
        assertEquals("m-1/u42/nopreview", jobs.get(0).jobId());
        assertEquals(JobFactory.GENERIC_BODY, jobs.get(0).notification().body());
    }

    @Test
    void forMessage_moreThanMaxTargets_splitsIntoValidJobs() {
        List<RegisteredDevice> many = IntStream.range(0, PushJob.MAX_TARGETS + 5)
                .mapToObj(i -> device("d" + i, true)).toList();
        List<PushJob> jobs = factory.forMessage(message(0, false), many, NOW);
        assertEquals(List.of("m-1/u42/part-1", "m-1/u42/part-2"), jobs.stream().map(PushJob::jobId).toList());
        assertEquals(PushJob.MAX_TARGETS + 5, jobs.stream().mapToInt(j -> j.targets().size()).sum());
        jobs.forEach(j -> assertEquals(List.of(), j.violations()));
    }

    @Test
    void forZombie_targetsOneDeviceWithItsPreviewSetting() {
        PushJob job = factory.forZombie(message(0, false), device("d3", false), NOW);
        assertEquals("m-1/u42/zombie/d3", job.jobId());
        assertEquals(1, job.targets().size());
        assertEquals(JobFactory.GENERIC_BODY, job.notification().body());
        assertEquals(List.of(), job.violations());
    }
}
