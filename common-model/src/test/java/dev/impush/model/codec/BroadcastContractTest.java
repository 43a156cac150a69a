package dev.impush.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Lane;
import dev.impush.model.broadcast.Audience;
import dev.impush.model.broadcast.Broadcast;
import dev.impush.model.broadcast.BroadcastCancel;
import dev.impush.model.broadcast.BroadcastCommand;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.TagsEvent;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The broadcast commands and the tags event: what they read, and the clear reasons for what they refuse. */
class BroadcastContractTest {
    private final ContractCodec<BroadcastCommand> codec = ContractCodec.broadcasts();

    private static final String CONTENT = "\"notification\":{\"title\":\"Maintenance\",\"body\":\"Tonight 2-3 am\","
            + "\"route\":\"app://notice/42\"}";

    private Decoded<BroadcastCommand> decode(String json) {
        return codec.decode(json.getBytes(StandardCharsets.UTF_8));
    }

    private String invalid(String json) {
        Decoded.Invalid<BroadcastCommand> invalid = assertInstanceOf(Decoded.Invalid.class, decode(json), json);
        assertEquals(DeadLetterReason.INVALID, invalid.reason(), invalid.detail());
        return invalid.detail();
    }

    /** The README's examples, verbatim. */
    @Test
    void readmeExamples_decode() {
        var all = (Broadcast) ((Decoded.Ok<BroadcastCommand>) decode("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b-2026-12\","
                + "\"appId\":\"com.example.chat\",\"audience\":{\"all\":true}," + CONTENT
                + ",\"ttlSeconds\":86400,\"ratePerSecond\":20000,\"lane\":\"bulk\",\"at\":\"2026-12-04T20:00:00Z\"}")).value();
        assertEquals(Audience.Form.ALL, all.audience().form());
        assertEquals(Lane.BULK, all.laneOrDefault());
        assertEquals("app://notice/42", all.notification().route());
        var tagged = (Broadcast) ((Decoded.Ok<BroadcastCommand>) decode("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b-vip\","
                + "\"appId\":\"com.example.chat\",\"audience\":{\"tag\":\"vip\"}," + CONTENT + ",\"lane\":\"chat\"}")).value();
        assertEquals(Audience.Form.TAG, tagged.audience().form());
        assertEquals(Lane.CHAT, tagged.laneOrDefault());
        var listed = (Broadcast) ((Decoded.Ok<BroadcastCommand>) decode("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b-3\","
                + "\"appId\":\"a\",\"audience\":{\"users\":[\"u1\",\"u2\"]}," + CONTENT + "}")).value();
        assertEquals(Audience.Form.USERS, listed.audience().form());
        assertEquals(Lane.BULK, listed.laneOrDefault());
        assertInstanceOf(BroadcastCancel.class, ((Decoded.Ok<BroadcastCommand>) decode(
                "{\"v\":1,\"type\":\"broadcast-cancel\",\"broadcastId\":\"b-2026-12\",\"at\":\"2026-12-04T20:05:00Z\"}")).value());
        var tags = (TagsEvent) ((Decoded.Ok<ImEvent>) ContractCodec.events().decode(("{\"v\":1,\"type\":\"tags\","
                + "\"userId\":\"u42\",\"tags\":[\"vip\",\"beta\"],\"at\":\"2026-12-04T08:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8))).value();
        assertEquals(Set.of("vip", "beta"), tags.tags());
    }

    @Test
    void unknownAudienceForm_isInvalid_namingTheForms() {
        String detail = invalid("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b\",\"appId\":\"a\","
                + "\"audience\":{\"segment\":\"young\"}," + CONTENT + "}");
        assertTrue(detail.contains("audience must have exactly one of"), detail);
    }

    @Test
    void twoAudienceForms_areInvalid() {
        String detail = invalid("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b\",\"appId\":\"a\","
                + "\"audience\":{\"all\":true,\"tag\":\"vip\"}," + CONTENT + "}");
        assertTrue(detail.contains("audience must have exactly one of"), detail);
    }

    @Test
    void noContent_isInvalid() {
        String detail = invalid("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b\",\"appId\":\"a\","
                + "\"audience\":{\"all\":true},\"notification\":{\"data\":{\"k\":\"v\"}}}");
        assertTrue(detail.contains("notification needs a title or a body"), detail);
        detail = invalid("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b\",\"appId\":\"a\",\"audience\":{\"all\":true}}");
        assertTrue(detail.contains("notification is required"), detail);
    }

    @Test
    void oversizedUserList_isInvalid() {
        String users = IntStream.range(0, Audience.MAX_USERS + 1).mapToObj(i -> "\"u" + i + "\"")
                .collect(Collectors.joining(","));
        String detail = invalid("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b\",\"appId\":\"a\","
                + "\"audience\":{\"users\":[" + users + "]}," + CONTENT + "}");
        assertTrue(detail.contains("audience.users has more than " + Audience.MAX_USERS), detail);
    }

    @Test
    void recordOverTheLimit_isOversized() {
        String big = "x".repeat(ContractCodec.MAX_BROADCAST_BYTES);
        var decoded = assertInstanceOf(Decoded.Invalid.class, decode("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\""
                + big + "\"}"));
        assertEquals(DeadLetterReason.OVERSIZED, decoded.reason());
    }

    @Test
    void emptyUserList_missingAppAndRateOutOfRange_areInvalid() {
        String detail = invalid("{\"v\":1,\"type\":\"broadcast\",\"broadcastId\":\"b\",\"audience\":{\"users\":[]},"
                + CONTENT + ",\"ratePerSecond\":-1}");
        assertTrue(detail.contains("audience.users must not be empty"), detail);
        assertTrue(detail.contains("appId is required"), detail);
        assertTrue(detail.contains("ratePerSecond must lie between"), detail);
    }

    @Test
    void tooManyTags_areInvalid() {
        String tags = IntStream.range(0, TagsEvent.MAX_TAGS + 1).mapToObj(i -> "\"t" + i + "\"")
                .collect(Collectors.joining(","));
        var decoded = assertInstanceOf(Decoded.Invalid.class, ContractCodec.events().decode(("{\"v\":1,\"type\":\"tags\","
                + "\"userId\":\"u\",\"tags\":[" + tags + "],\"at\":\"2026-12-04T08:00:00Z\"}").getBytes(StandardCharsets.UTF_8)));
        assertTrue(decoded.detail().contains("tags has more than 64"), decoded.detail());
    }
}
