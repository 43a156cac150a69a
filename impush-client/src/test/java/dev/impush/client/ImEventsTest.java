package dev.impush.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.codec.Json;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.PresenceEvent;
import dev.impush.model.event.QuietHours;
import dev.impush.model.event.RoutedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The builders make events impush accepts, in the README's JSON; broken ones are refused before sending. */
class ImEventsTest {
    private static final EventValidator EVENTS = EventValidator.of("im-event.schema.json");
    private static final Instant SENT = Instant.parse("2026-11-25T08:00:02Z");

    private static JsonNode json(ImEvent e) throws Exception {
        return Json.mapper().readTree(EVENTS.check(e, "event"));
    }

    @Test
    void aMessage_isTheReadmesExample() throws Exception {
        JsonNode m = json(ImEvents.message("m-9001", "u42").group("c-17").sender("u7", "Alice").preview("lunch?")
                .badge(3).sentAt(SENT).ttl(Duration.ofDays(1)).route("chat://conversation/c-17").build());
        assertEquals("message", m.path("type").asText());
        assertEquals(1, m.path("v").asInt());
        assertEquals("group", m.path("conversationType").asText());
        assertEquals("2026-11-25T08:00:02Z", m.path("sentAt").asText());
        assertEquals(86400, m.path("ttlSeconds").asLong());
        assertEquals(3, m.path("badge").asInt());
        assertEquals("chat://conversation/c-17", m.path("route").asText());
    }

    @Test
    void everyFactory_makesAnEventTheSchemaAndTheContractAccept() throws Exception {
        List<ImEvent> all = List.of(
                ImEvents.message("m-1", "u1").conversation("dm-1").build(),
                ImEvents.routed("u1", "m-1", "d1"),
                ImEvents.acked("u1", "m-1", "d1"),
                ImEvents.online("u1", "d1", "gw-1", "5f0c9a2e"),
                ImEvents.offline("u1", "d1"),
                ImEvents.device("u1", "d1", Channel.APNS, "0123456789abcdef".repeat(4), "com.example.chat").locale("en-US")
                        .sandbox(true).build(),
                ImEvents.device("u1", "d2", Channel.APNS, "fedcba9876543210".repeat(4), "com.example.chat").voip(true).build(),
                ImEvents.unregister("u1", "d1"),
                ImEvents.mute("u1", "c-17", SENT.plusSeconds(3600)),
                ImEvents.unmute("u1", null),
                ImEvents.tags("u1", Set.of("beta", "cn")),
                ImEvents.read("u1", "c-17", SENT).unread(2).on("d1").build(),
                ImEvents.preferences("u1", new QuietHours("22:00", "07:00", "Asia/Shanghai", QuietHours.Mode.SILENT, true,
                        true)),
                ImEvents.callInvite("call-1", "u1", "u7").callerName("Alice").video(true).ttl(Duration.ofSeconds(30)).build(),
                ImEvents.callCancel("call-1", "u1", "u7").build(),
                ImEvents.recall("u1", "m-1", "dm-1", SENT, Duration.ofDays(1)));
        for (ImEvent e : all) {
            assertEquals(Contract.VERSION, json(e).path("v").asInt(), e.toString());
        }
        assertEquals(11, all.stream().map(e -> e.getClass()).distinct().count(), "one of each event type");
    }

    @Test
    void aMessageWithoutItsConversation_isRefusedNamingTheField() {
        InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EVENTS.check(ImEvents.message("m-1", "u1").preview("hi").build(), "MessageEvent"));
        assertTrue(e.getMessage().contains("conversationId"), e.getMessage());
    }

    @Test
    void theContractsRulesHold_whereTheSchemaCannotSayThem() {
        InvalidEventException tooLong = assertThrows(InvalidEventException.class, () -> EVENTS.check(
                ImEvents.message("m-1", "u1").conversation("c").ttl(Duration.ofDays(29)).build(), "MessageEvent"));
        assertTrue(tooLong.problems().stream().anyMatch(p -> p.contains("ttlSeconds")), tooLong.problems()::toString);
        PresenceEvent nowhere = new PresenceEvent(Contract.VERSION, "u1", "d1", PresenceEvent.State.ONLINE, null, SENT);
        InvalidEventException online = assertThrows(InvalidEventException.class, () -> EVENTS.check(nowhere, "presence"));
        assertTrue(online.getMessage().contains("gatewayId"), online.getMessage());
    }

    @Test
    void aSchemaViolation_isCaughtEvenWhenTheRecordsOwnRulesMissIt() {
        // the record's rules leave the version to the decoder; the schema pins it (a v2 event would be dead-lettered)
        RoutedEvent v2 = new RoutedEvent(2, "m-1", "u1", "d1", SENT);
        assertEquals(List.of(), v2.violations());
        InvalidEventException e = assertThrows(InvalidEventException.class, () -> EVENTS.check(v2, "RoutedEvent"));
        assertTrue(e.problems().stream().anyMatch(p -> p.contains("v")), e.problems()::toString);
    }
}
