package dev.impush.worker.channel.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.job.LocalizedText;
import dev.impush.model.job.Notification;
import dev.impush.worker.channel.http.TextLimits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApnsPayloadTest {
    private static final String MESSAGE_ID = "m-42";

    static Stream<String> longBodies() {
        return Stream.of(
                "界".repeat(5_000),                              // 3-byte code points
                "😀".repeat(2_000),                              // surrogate pairs, 4 bytes each
                "a😀界\"\n".repeat(1_000),                        // mixed widths plus JSON escapes
                "x".repeat(4_050) + "😀😀😀",                     // the cut lands next to a pair
                "\u0001".repeat(2_000));                          // 6-byte \\u escapes
    }

    @ParameterizedTest
    @MethodSource("longBodies")
    void of_longBody_fitsApnsLimitWithValidUtf8(String body) throws Exception {
        ApnsPayload payload = ApnsPayload.of(alert("Alice", body, Map.of()), MESSAGE_ID);

        byte[] bytes = payload.json().getBytes(StandardCharsets.UTF_8);
        assertTrue(payload.fits());
        assertEquals(bytes.length, payload.bytes());
        assertTrue(bytes.length <= ApnsPayload.MAX_BYTES, "bytes: " + bytes.length);
        strictUtf8(bytes);

        JsonNode root = Json.mapper().readTree(bytes);
        String trimmed = root.at("/aps/alert/body").asText();
        assertTrue(trimmed.endsWith(TextLimits.ELLIPSIS), trimmed);
        String kept = trimmed.substring(0, trimmed.length() - TextLimits.ELLIPSIS.length());
        assertTrue(body.startsWith(kept), "the kept text is a prefix of the original");
        assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)), "no split surrogate pair");
        assertEquals("Alice", root.at("/aps/alert/title").asText());
        assertEquals(MESSAGE_ID, root.get(Notification.MESSAGE_ID_KEY).asText());

        // As long as possible: one more code point would not have fitted.
        String nextCodePoint = body.substring(kept.length(), body.offsetByCodePoints(kept.length(), 1));
        int nextBytes = Json.mapper().writeValueAsBytes(nextCodePoint).length - 2; // escaped, without quotes
        assertTrue(payload.bytes() + nextBytes > ApnsPayload.MAX_BYTES, "trim was not maximal: " + payload.bytes());
    }

    @Test
    void of_shortBody_isUntouched() throws Exception {
        ApnsPayload payload = ApnsPayload.of(alert("Alice", "hi 😀", Map.of()), MESSAGE_ID);

        JsonNode root = Json.mapper().readTree(payload.json());
        assertEquals("hi 😀", root.at("/aps/alert/body").asText());
    }

    @Test
    void of_hugeTitleAndBody_trimsTitleAfterEmptyingBody() throws Exception {
        ApnsPayload payload = ApnsPayload.of(alert("標".repeat(3_000), "界".repeat(3_000), Map.of()), MESSAGE_ID);

        assertTrue(payload.fits());
        JsonNode alert = Json.mapper().readTree(payload.json()).at("/aps/alert");
        assertEquals("", alert.get("body").asText());
        assertTrue(alert.get("title").asText().endsWith(TextLimits.ELLIPSIS));
        assertTrue(payload.bytes() > ApnsPayload.MAX_BYTES - 8, "title kept as long as possible: " + payload.bytes());
    }

    @Test
    void of_alert_hasBadgeSoundThreadAndAlert() throws Exception {
        Notification n = new Notification("Alice", "hello", 7, "default", "col", "conv-9", Priority.HIGH, false, Map.of());

        JsonNode aps = Json.mapper().readTree(ApnsPayload.of(n, MESSAGE_ID).json()).get("aps");

        assertEquals("Alice", aps.at("/alert/title").asText());
        assertEquals("hello", aps.at("/alert/body").asText());
        assertEquals(7, aps.get("badge").asInt());
        assertEquals("default", aps.get("sound").asText());
        assertEquals("conv-9", aps.get("thread-id").asText());
        assertFalse(aps.has("content-available"));
    }

    @Test
    void of_quiet_isPassiveWithoutSound_andOtherwiseNot() throws Exception {
        Notification n = new Notification("Alice", "hello", 7, "default", "col", "conv-9", Priority.HIGH, false, Map.of());

        JsonNode quiet = Json.mapper().readTree(ApnsPayload.of(n.quiet(), MESSAGE_ID).json()).get("aps");
        JsonNode loud = Json.mapper().readTree(ApnsPayload.of(n, MESSAGE_ID).json()).get("aps");

        assertEquals("passive", quiet.get("interruption-level").asText());
        assertFalse(quiet.has("sound"));
        assertEquals("hello", quiet.at("/alert/body").asText());
        assertFalse(loud.has("interruption-level"));
    }

    @Test
    void of_callToAnAlertToken_isTimeSensitive_andVoipCarriesOnlyTheData() throws Exception {
        Notification call = new Notification("Alice", "Incoming video call", null, "default", "call:c-1", null,
                Priority.HIGH, false, Map.of("callId", "c-1", "callerName", "Alice"), false, null, false, true);

        JsonNode alert = Json.mapper().readTree(ApnsPayload.of(call, MESSAGE_ID).json());
        JsonNode voip = Json.mapper().readTree(ApnsPayload.voip(call, MESSAGE_ID).json());

        assertEquals("time-sensitive", alert.path("aps").path("interruption-level").asText());
        assertEquals("Incoming video call", alert.path("aps").at("/alert/body").asText());
        assertEquals(0, voip.path("aps").size());
        assertEquals("Alice", voip.path("callerName").asText());
        assertEquals(MESSAGE_ID, voip.path("messageId").asText());
        assertEquals(ApnsPayload.MAX_VOIP_BYTES, ApnsPayload.voip(call, MESSAGE_ID).limit());
    }

    @Test
    void of_localized_addsTheLocKeysBesideTheText() throws Exception {
        Notification n = new Notification("Alice", "hello", null, "default", "col", null, Priority.HIGH, false, Map.of(),
                false, new LocalizedText("MSG_FROM", List.of("Alice"), "MSG_TEXT", List.of("hello", "\"x\"")), false, false);

        JsonNode alert = Json.mapper().readTree(ApnsPayload.of(n, MESSAGE_ID).json()).path("aps").path("alert");

        assertEquals("Alice", alert.path("title").asText(), "the text stays, for a phone without the key");
        assertEquals("MSG_FROM", alert.path("title-loc-key").asText());
        assertEquals("Alice", alert.path("title-loc-args").get(0).asText());
        assertEquals("MSG_TEXT", alert.path("loc-key").asText());
        assertEquals(List.of("hello", "\"x\""), List.of(alert.path("loc-args").get(0).asText(), alert.path("loc-args").get(1).asText()));
        JsonNode bodyOnly = Json.mapper().readTree(ApnsPayload.of(new Notification(null, null, null, null, null, null,
                Priority.HIGH, false, Map.of(), false, new LocalizedText(null, List.of(), "MSG", List.of()), false, false),
                MESSAGE_ID).json()).path("aps").path("alert");
        assertEquals("MSG", bodyOnly.path("loc-key").asText());
        assertEquals(0, bodyOnly.path("loc-args").size());
    }

    @Test
    void of_contentFree_isMutableWithTheGenericText() throws Exception {
        Notification n = new Notification(null, "New message", 2, "default", "m-1", "c-1", Priority.HIGH, false,
                Map.of("messageId", "m-1", "conversationId", "c-1"), false, null, true, false);
        JsonNode aps = Json.mapper().readTree(ApnsPayload.of(n, MESSAGE_ID).json()).path("aps");
        assertEquals(1, aps.path("mutable-content").asInt());
        assertEquals("New message", aps.at("/alert/body").asText());
        assertFalse(Json.mapper().readTree(ApnsPayload.of(n.quiet(), MESSAGE_ID).json()).path("aps").has("sound"));
    }

    @Test
    void of_withoutBadgeOrSound_omitsThem() throws Exception {
        Notification n = new Notification("Alice", "hello", null, null, null, null, Priority.HIGH, false, Map.of());

        JsonNode aps = Json.mapper().readTree(ApnsPayload.of(n, MESSAGE_ID).json()).get("aps");

        assertEquals(List.of("alert"), List.copyOf(iterable(aps.fieldNames())));
    }

    @Test
    void of_silent_isContentAvailableOnly() throws Exception {
        Notification n = new Notification("Alice", "hello", 7, "default", "col", "conv-9", Priority.HIGH, true,
                Map.of("conversationId", "conv-9"));

        JsonNode root = Json.mapper().readTree(ApnsPayload.of(n, MESSAGE_ID).json());

        assertEquals(1, root.at("/aps/content-available").asInt());
        assertEquals(List.of("content-available"), List.copyOf(iterable(root.get("aps").fieldNames())));
        assertEquals("conv-9", root.get("conversationId").asText());
        assertEquals(MESSAGE_ID, root.get(Notification.MESSAGE_ID_KEY).asText());
    }

    @Test
    void of_customData_becomesTopLevelKeysAndMessageIdWins() throws Exception {
        Notification n = alert("Alice", "hi", Map.of("conversationId", "c-1", "messageId", "stale", "aps", "evil"));

        JsonNode root = Json.mapper().readTree(ApnsPayload.of(n, MESSAGE_ID).json());

        assertEquals("c-1", root.get("conversationId").asText());
        assertEquals(MESSAGE_ID, root.get(Notification.MESSAGE_ID_KEY).asText());
        assertTrue(root.get("aps").isObject(), "app data cannot replace aps");
    }

    @Test
    void of_anyText_readsBackExactlyAsValidUtf8OfTheStatedLength() throws Exception {
        // quotes, backslashes, every control character, 2- and 3-byte chars, pairs and lone surrogates
        char[] alphabet = ("\"\\/aZ09 é界€\u2028\uffff\ud83d\ude00\ud800\udc00" + "\u0000\u0001\u001f\u007f\b\f\n\r\t")
                .toCharArray();
        java.util.Random random = new java.util.Random(42);
        for (int round = 0; round < 2_000; round++) {
            String[] texts = new String[4];
            for (int t = 0; t < texts.length; t++) {
                char[] chars = new char[random.nextInt(40)];
                for (int i = 0; i < chars.length; i++) {
                    chars[i] = alphabet[random.nextInt(alphabet.length)];
                }
                texts[t] = new String(chars);
            }
            ApnsPayload payload = ApnsPayload.of(alert(texts[0], texts[1], Map.of(texts[2], texts[3])), MESSAGE_ID);

            byte[] bytes = payload.json().getBytes(StandardCharsets.UTF_8);
            strictUtf8(bytes);
            assertEquals(bytes.length, payload.bytes());
            JsonNode root = Json.mapper().readTree(bytes);
            assertEquals(sendable(texts[0]), root.at("/aps/alert/title").textValue());
            assertEquals(sendable(texts[1]), root.at("/aps/alert/body").textValue());
            if (!texts[2].equals("aps") && !texts[2].equals(Notification.MESSAGE_ID_KEY)) {
                assertEquals(sendable(texts[3]), root.get(sendable(texts[2])).textValue());
            }
        }
    }

    @Test
    void of_oversizedCustomData_doesNotFit() {
        ApnsPayload payload = ApnsPayload.of(alert("Alice", "hi", Map.of("blob", "z".repeat(5_000))), MESSAGE_ID);

        assertFalse(payload.fits());
    }

    /** {@code text} with each unpaired surrogate replaced by U+FFFD, as a UTF-8 encoder does. */
    private static String sendable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static Notification alert(String title, String body, Map<String, String> data) {
        return new Notification(title, body, 1, "default", "col", "conv", Priority.HIGH, false, data);
    }

    private static void strictUtf8(byte[] bytes) throws CharacterCodingException {
        StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
