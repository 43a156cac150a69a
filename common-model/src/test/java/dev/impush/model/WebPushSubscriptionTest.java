package dev.impush.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.event.DeviceEvent;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebPushSubscriptionTest {
    // RFC 8291 Appendix A's browser keys (published test data)
    private static final String P256DH = "BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4";
    private static final String AUTH = "BTBZMqHH6r4Tts7J_aSIgg";

    private static String token(String endpoint, String p256dh, String auth) {
        return "{\"endpoint\":\"" + endpoint + "\",\"expirationTime\":null,\"keys\":{\"p256dh\":\"" + p256dh
                + "\",\"auth\":\"" + auth + "\"}}";
    }

    private static List<String> violations(String token) {
        return new DeviceEvent(Contract.VERSION, DeviceEvent.Action.REGISTER, "u1", "web-1", Channel.WEBPUSH, token,
                "com.example.chat.web", false, "en", true, Instant.parse("2026-12-05T08:00:00Z")).violations();
    }

    @Test
    void aBrowsersSubscription_isRead() {
        WebPushSubscription s = WebPushSubscription.parse(token("https://fcm.googleapis.com/fcm/send/dQw4w9", P256DH, AUTH));
        assertEquals(URI.create("https://fcm.googleapis.com/fcm/send/dQw4w9"), s.endpoint());
        assertEquals("https://fcm.googleapis.com", s.origin());
        assertEquals(65, s.p256dh().length);
        assertEquals(16, s.auth().length);
        assertFalse(s.toString().contains("dQw4w9"), "the endpoint identifies the browser: " + s);
        assertEquals(List.of(), violations(token("https://fcm.googleapis.com/fcm/send/dQw4w9", P256DH + "==", AUTH + "==")),
                "padding is accepted");
    }

    @Test
    void anythingElse_isRefused_sayingWhichPart() {
        assertEquals(Optional.of("a webpush token must be the subscription's JSON (JSON.stringify(subscription))"),
                WebPushSubscription.problem("dQw4w9WgXcQ"));
        assertEquals(Optional.of("endpoint must be an absolute https URL"),
                WebPushSubscription.problem(token("/fcm/send/x", P256DH, AUTH)));
        assertEquals(Optional.of("keys.p256dh must be 65 bytes, not 16"), WebPushSubscription.problem(token(
                "https://push.example/x", AUTH, AUTH)));
        assertEquals(Optional.of("keys.auth must be 16 bytes, not 0"), WebPushSubscription.problem(token(
                "https://push.example/x", P256DH, "")));
        assertTrue(violations("not json").contains("token: a webpush token must be the subscription's JSON"
                + " (JSON.stringify(subscription))"), violations("not json").toString());
    }
}
