package dev.impush.model.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a push job straight from the token stream, without databind: the worker decodes tens of
 * thousands a second, and databind's creator buffers and per-property dispatch were a tenth of its
 * CPU. Only the shape every producer writes is read here: each known field once, of its JSON type or
 * null, unknown fields skipped. Anything else (a number where a string belongs, an unknown channel
 * or priority, a repeated field, a value a constructor refuses, broken JSON) answers null, and the
 * caller decodes with databind, so what is accepted and every error message stay Jackson's.
 * Thread-safe.
 */
final class PushJobReader {
    private final JsonFactory factory;

    PushJobReader(JsonFactory factory) {
        this.factory = factory;
    }

    /** The job, or null when databind must decide. */
    PushJob read(byte[] bytes) {
        try (JsonParser p = factory.createParser(bytes)) {
            return p.nextToken() == JsonToken.START_OBJECT ? job(p) : null;
        } catch (IOException | RuntimeException e) { // Decline included
            return null;
        }
    }

    private static PushJob job(JsonParser p) throws IOException {
        int v = 0;
        String type = null;
        String jobId = null;
        String messageId = null;
        String userId = null;
        String conversationId = null;
        Notification notification = null;
        List<PushTarget> targets = null;
        Instant createdAt = null;
        Instant expiresAt = null;
        Fields seen = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "v" -> v = seen.once(0) && t == JsonToken.VALUE_NULL ? 0 : intValue(p, t);
                case "type" -> type = text(p, t, seen, 1);
                case "jobId" -> jobId = text(p, t, seen, 2);
                case "messageId" -> messageId = text(p, t, seen, 3);
                case "userId" -> userId = text(p, t, seen, 4);
                case "conversationId" -> conversationId = text(p, t, seen, 5);
                case "notification" -> notification = seen.once(6) && t == JsonToken.VALUE_NULL ? null : notification(p, t);
                case "targets" -> targets = seen.once(7) && t == JsonToken.VALUE_NULL ? null : targets(p, t);
                case "createdAt" -> createdAt = instant(p, t, seen, 8);
                case "expiresAt" -> expiresAt = instant(p, t, seen, 9);
                default -> p.skipChildren();
            }
        }
        expect(p.currentToken() == JsonToken.END_OBJECT);
        return new PushJob(v, type, jobId, messageId, userId, conversationId, notification, targets, createdAt,
                expiresAt);
    }

    private static Notification notification(JsonParser p, JsonToken start) throws IOException {
        expect(start == JsonToken.START_OBJECT);
        String title = null;
        String body = null;
        Integer badge = null;
        String sound = null;
        String collapseId = null;
        String threadId = null;
        Priority priority = null;
        boolean silent = false;
        Map<String, String> data = null;
        Fields seen = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "title" -> title = text(p, t, seen, 0);
                case "body" -> body = text(p, t, seen, 1);
                case "badge" -> badge = seen.once(2) && t == JsonToken.VALUE_NULL ? null : intValue(p, t);
                case "sound" -> sound = text(p, t, seen, 3);
                case "collapseId" -> collapseId = text(p, t, seen, 4);
                case "threadId" -> threadId = text(p, t, seen, 5);
                case "priority" -> priority = priority(p, t, seen);
                case "silent" -> silent = bool(t, seen, 7);
                case "data" -> data = seen.once(8) && t == JsonToken.VALUE_NULL ? null : data(p, t);
                default -> p.skipChildren();
            }
        }
        expect(p.currentToken() == JsonToken.END_OBJECT);
        return new Notification(title, body, badge, sound, collapseId, threadId, priority, silent, data);
    }

    private static List<PushTarget> targets(JsonParser p, JsonToken start) throws IOException {
        expect(start == JsonToken.START_ARRAY);
        List<PushTarget> targets = new ArrayList<>(2);
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
            targets.add(target(p));
        }
        expect(t == JsonToken.END_ARRAY);
        return targets;
    }

    private static PushTarget target(JsonParser p) throws IOException {
        String deviceId = null;
        Channel channel = null;
        String token = null;
        String appId = null;
        boolean sandbox = false;
        Fields seen = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "deviceId" -> deviceId = text(p, t, seen, 0);
                case "channel" -> {
                    seen.once(1);
                    expect(t == JsonToken.VALUE_STRING);
                    channel = Channel.fromWire(p.getText());
                }
                case "token" -> token = text(p, t, seen, 2);
                case "appId" -> appId = text(p, t, seen, 3);
                case "sandbox" -> sandbox = bool(t, seen, 4);
                default -> p.skipChildren();
            }
        }
        expect(p.currentToken() == JsonToken.END_OBJECT);
        return new PushTarget(deviceId, channel, token, appId, sandbox);
    }

    private static Map<String, String> data(JsonParser p, JsonToken start) throws IOException {
        expect(start == JsonToken.START_OBJECT);
        Map<String, String> data = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            expect(p.nextToken() == JsonToken.VALUE_STRING && !data.containsKey(key));
            data.put(key, p.getText());
        }
        expect(p.currentToken() == JsonToken.END_OBJECT);
        return data;
    }

    private static String text(JsonParser p, JsonToken t, Fields seen, int field) throws IOException {
        seen.once(field);
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t == JsonToken.VALUE_STRING);
        return p.getText();
    }

    private static int intValue(JsonParser p, JsonToken t) throws IOException {
        expect(t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT);
        return p.getIntValue();
    }

    private static boolean bool(JsonToken t, Fields seen, int field) {
        seen.once(field);
        expect(t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE || t == JsonToken.VALUE_NULL);
        return t == JsonToken.VALUE_TRUE;
    }

    private static Priority priority(JsonParser p, JsonToken t, Fields seen) throws IOException {
        seen.once(6);
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t == JsonToken.VALUE_STRING);
        return switch (p.getText()) {
            case "high" -> Priority.HIGH;
            case "normal" -> Priority.NORMAL;
            default -> throw Decline.INSTANCE;
        };
    }

    private static Instant instant(JsonParser p, JsonToken t, Fields seen, int field) throws IOException {
        seen.once(field);
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(t == JsonToken.VALUE_STRING);
        Instant i = IsoInstants.parseUtc(p.getText());
        expect(i != null);
        return i;
    }

    private static void expect(boolean condition) {
        if (!condition) {
            throw Decline.INSTANCE;
        }
    }

    /** The fields of one object read so far: a repeated one is left to databind. */
    private static final class Fields {
        private int bits;

        /** Marks {@code field} read; always true, so it can lead a condition. */
        boolean once(int field) {
            expect((bits & (1 << field)) == 0);
            bits |= 1 << field;
            return true;
        }
    }

    /** Not the common shape: databind decides. Preallocated and stackless, as it is control flow. */
    private static final class Decline extends RuntimeException {
        static final Decline INSTANCE = new Decline();

        private Decline() {
            super("not the common shape", null, false, false);
        }
    }
}
