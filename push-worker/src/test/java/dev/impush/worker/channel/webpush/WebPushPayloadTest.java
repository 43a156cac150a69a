package dev.impush.worker.channel.webpush;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.Delivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebPushPayloadTest {
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final WebPushPayload PAYLOAD = new WebPushPayload(Clock.fixed(NOW, ZoneOffset.UTC));

    private static Delivery delivery(Notification n, Instant expiresAt) {
        PushJob job = PushJob.of("m-1", "u1", "c1", n, List.of(new PushTarget("d1", Channel.WEBPUSH, "{}", "web", false)),
                NOW, expiresAt);
        return new Delivery(job, job.targets().getFirst());
    }

    private static Notification notification(String body, Priority priority, Map<String, String> data) {
        return new Notification("Alice", body, 3, "default", "m-1", "c1", priority, false, data);
    }

    @Test
    void theServiceWorker_getsTheNotification_itsTag_andTheIds() throws Exception {
        Delivery d = delivery(notification("hi", Priority.HIGH, Map.of("route", "chat://c1")), NOW.plusSeconds(600));
        JsonNode json = Json.mapper().readTree(PAYLOAD.render(d).orElseThrow());

        assertEquals("Alice", json.path("title").asText());
        assertEquals("hi", json.path("body").asText());
        assertEquals("m-1", json.path("tag").asText(), "showNotification's tag: an update replaces it");
        assertEquals(3, json.path("badge").asInt());
        assertEquals(Map.of("route", "chat://c1", "messageId", "m-1", "conversationId", "c1"),
                Json.mapper().convertValue(json.path("data"), Map.class));
        assertEquals(600, PAYLOAD.ttlSeconds(d));
        assertEquals("high", WebPushPayload.urgency(d.notification()));
    }

    @Test
    void aLongBody_isTrimmedToFitTheRecord() {
        Delivery d = delivery(notification("x".repeat(10_000), Priority.NORMAL, Map.of()), null);
        byte[] json = PAYLOAD.render(d).orElseThrow();
        assertTrue(json.length <= PayloadEncryption.MAX_PLAINTEXT && json.length > PayloadEncryption.MAX_PLAINTEXT - 10,
                "trimmed to just under the limit: " + json.length);
        assertEquals(WebPushPayload.DEFAULT_TTL.toSeconds(), PAYLOAD.ttlSeconds(d));
        assertEquals("normal", WebPushPayload.urgency(d.notification()));
        assertTrue(PAYLOAD.render(delivery(notification("", Priority.NORMAL, Map.of("big", "y".repeat(5_000))), null))
                .isEmpty(), "custom data alone too large: no payload");
    }

    @Test
    void theTopic_is32UrlSafeCharacters_andTheSameForTheSameCollapseKey() {
        String a = WebPushPayload.topic(delivery(notification("a", Priority.NORMAL, Map.of()), null));
        String b = WebPushPayload.topic(delivery(new Notification("Alice", "b", null, null, "m-1", "c1", Priority.NORMAL,
                false, Map.of()), NOW.plus(Duration.ofDays(40))));
        assertEquals(32, a.length());
        assertTrue(a.matches("[A-Za-z0-9_-]{32}"), a);
        assertEquals(a, b);
        assertFalse(a.contains("m-1"));
        assertEquals(WebPushPayload.MAX_TTL.toSeconds(), PAYLOAD.ttlSeconds(delivery(notification("a", Priority.NORMAL,
                Map.of()), NOW.plus(Duration.ofDays(40)))), "at most 28 days");
    }
}
