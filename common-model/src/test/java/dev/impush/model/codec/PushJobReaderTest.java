package dev.impush.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PushJobReaderTest {
    private final PushJobReader reader = new PushJobReader(Json.mapper().getFactory());

    @Test
    void readsEveryJobTheProducersWriteExactlyAsDatabind() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 5_000; i++) {
            byte[] json = Json.write(randomJob(random));
            PushJob fast = reader.read(json);
            assertNotNull(fast, () -> new String(json, StandardCharsets.UTF_8));
            assertEquals(databind(json), fast, () -> new String(json, StandardCharsets.UTF_8));
        }
    }

    /**
     * Every field of a valid job replaced by every other JSON type, repeated, or joined by unknown
     * fields: the reader either declines (null) or reads exactly what databind reads, and never
     * accepts what databind refuses.
     */
    @Test
    void declinesOrAgreesOnEveryMutation() throws Exception {
        SplittableRandom random = new SplittableRandom(13);
        int declined = 0;
        int read = 0;
        for (int i = 0; i < 5_000; i++) {
            ObjectNode tree = Json.mapper().valueToTree(randomJob(random));
            ObjectNode target = pick(random, tree);
            List<String> names = new ArrayList<>();
            target.fieldNames().forEachRemaining(names::add);
            String field = names.isEmpty() || random.nextInt(6) == 0 ? "extra" + i : names.get(random.nextInt(names.size()));
            target.set(field, randomValue(random));
            byte[] json = Json.mapper().writeValueAsBytes(tree);
            if (random.nextInt(8) == 0) { // a repeated field, which a tree cannot hold
                String text = new String(json, StandardCharsets.UTF_8);
                json = ("{\"jobId\":\"first\"," + text.substring(1)).getBytes(StandardCharsets.UTF_8);
            }
            PushJob fast = reader.read(json);
            PushJob slow = databind(json);
            String shown = new String(json, StandardCharsets.UTF_8);
            if (fast == null) {
                declined++;
            } else {
                read++;
                assertEquals(slow, fast, shown);
            }
        }
        assertTrue(declined > 500 && read > 500, "both paths exercised: " + declined + " declined, " + read + " read");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "null", "{", "{\"v\":1,", "{\"v\":1.0}", "{\"v\":\"1\"}", "{\"v\":99999999999}",
        "{\"targets\":[null]}", "{\"targets\":[{\"channel\":\"pager\"}]}", "{\"targets\":[{\"channel\":null}]}",
        "{\"notification\":{\"priority\":\"HIGH\"}}", "{\"notification\":{\"data\":{\"k\":1}}}",
        "{\"notification\":{\"data\":{\"k\":null}}}", "{\"notification\":{\"badge\":2.5}}",
        "{\"notification\":{\"silent\":\"true\"}}", "{\"createdAt\":\"2026-11-25T10:00:00+01:00\"}",
        "{\"createdAt\":1764064800}", "{\"v\":1,\"v\":1}", "{\"notification\":{\"data\":{\"k\":\"a\",\"k\":\"b\"}}}"})
    void declinesWhatOnlyDatabindMayJudge(String json) {
        assertNull(reader.read(json.getBytes(StandardCharsets.UTF_8)), json);
    }

    @Test
    void skipsUnknownFieldsAndTakesNullsAndAbsencesLikeDatabind() throws Exception {
        String json = """
                {"v":1,"type":"push","future":{"nested":[1,{"x":null}]},"jobId":"m/u","messageId":"m","userId":"u",
                 "conversationId":null,"notification":{"title":"T","badge":null,"silent":null,"priority":null,"extra":[]},
                 "targets":[{"deviceId":"d","channel":"apns","token":"t","appId":"a","sandbox":null,"more":true}],
                 "createdAt":"2026-11-25T10:00:00.5Z","expiresAt":null}""";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        PushJob fast = reader.read(bytes);
        assertNotNull(fast);
        assertEquals(databind(bytes), fast);
        assertEquals(Priority.HIGH, fast.notification().priority());
    }

    private static PushJob databind(byte[] json) {
        try {
            return Json.mapper().readValue(json, PushJob.class);
        } catch (Exception e) {
            return null;
        }
    }

    /** The job itself, its notification, its data or one of its targets. */
    private static ObjectNode pick(SplittableRandom random, ObjectNode job) {
        return switch (random.nextInt(4)) {
            case 0 -> job;
            case 1 -> (ObjectNode) job.get("notification");
            case 2 -> job.get("notification").get("data") instanceof ObjectNode data ? data : job;
            default -> (ObjectNode) job.get("targets").get(random.nextInt(job.get("targets").size()));
        };
    }

    private static JsonNode randomValue(SplittableRandom random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(14)) {
            case 0 -> f.nullNode();
            case 1 -> f.numberNode(random.nextInt(-5, 5));
            case 2 -> f.numberNode(random.nextLong(Integer.MAX_VALUE + 1L, Long.MAX_VALUE));
            case 3 -> f.numberNode(1.5);
            case 4 -> f.booleanNode(random.nextBoolean());
            case 5 -> f.textNode("text");
            case 6 -> f.textNode("");
            case 7 -> f.objectNode().put("k", "v").putNull("n");
            case 8 -> {
                ArrayNode a = f.arrayNode();
                a.add(1).add("x").addNull();
                yield a;
            }
            case 9 -> f.textNode(pickOne(random, "apns", "fcm", "APNS", "pager", "high", "normal", "push", "1"));
            case 10 -> f.textNode(pickOne(random, "2026-11-25T10:00:00Z", "2026-11-25T10:00:00.123456789Z",
                    "2026-11-25T10:00:00+01:00", "2026-13-25T10:00:00Z", "+12026-11-25T10:00:00Z"));
            case 11 -> f.arrayNode();
            case 12 -> f.objectNode();
            default -> f.numberNode(1);
        };
    }

    static PushJob randomJob(SplittableRandom random) {
        String messageId = random.nextInt(10) == 0 ? "m\"é\\" + random.nextInt() : "m" + random.nextInt(1_000_000);
        String userId = "u" + random.nextInt(1000);
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            data.put("k" + random.nextInt(100), pickOne(random, "v", "", "ü😀\n\t", "\u0000x"));
        }
        if (random.nextBoolean()) {
            data.put(Notification.MESSAGE_ID_KEY, messageId);
        }
        Notification n = new Notification(maybe(random, "Alice"), maybe(random, "hello \"you\" 😀"),
                random.nextBoolean() ? null : random.nextInt(0, 1000), maybe(random, "default"), maybe(random, messageId),
                maybe(random, "c-" + userId), random.nextBoolean() ? null : Priority.values()[random.nextInt(2)],
                random.nextInt(5) == 0, random.nextInt(6) == 0 ? null : data);
        List<PushTarget> targets = new ArrayList<>();
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            targets.add(new PushTarget("d" + random.nextInt(100), Channel.values()[random.nextInt(Channel.values().length)],
                    Long.toHexString(random.nextLong()), "com.example.chat", random.nextInt(4) == 0));
        }
        Instant created = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(3) == 0 ? 0
                : random.nextInt(1_000_000_000));
        return new PushJob(1, random.nextInt(20) == 0 ? null : PushJob.TYPE, messageId + "/" + userId, messageId, userId,
                maybe(random, "c-" + userId), n, targets, created,
                random.nextInt(4) == 0 ? null : created.plusSeconds(random.nextInt(1, 86_400)));
    }

    private static String maybe(SplittableRandom random, String value) {
        return random.nextInt(5) == 0 ? null : value;
    }

    private static String pickOne(SplittableRandom random, String... values) {
        return values[random.nextInt(values.length)];
    }
}
