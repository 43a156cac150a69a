package dev.impush.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON Schema files document exactly the fields the records read and write. */
class SchemaFilesTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "im-event.schema.json, message, dev.impush.model.event.MessageEvent",
        "im-event.schema.json, routed, dev.impush.model.event.RoutedEvent",
        "im-event.schema.json, acked, dev.impush.model.event.AckedEvent",
        "im-event.schema.json, presence, dev.impush.model.event.PresenceEvent",
        "im-event.schema.json, device, dev.impush.model.event.DeviceEvent",
        "im-event.schema.json, mute, dev.impush.model.event.MuteEvent",
        "im-event.schema.json, tags, dev.impush.model.event.TagsEvent",
        "im-event.schema.json, read, dev.impush.model.event.ReadEvent",
        "im-event.schema.json, preferences, dev.impush.model.event.PreferencesEvent",
        "im-event.schema.json, call, dev.impush.model.event.CallEvent",
        "im-event.schema.json, recall, dev.impush.model.event.RecallEvent",
        "broadcast.schema.json, broadcast, dev.impush.model.broadcast.Broadcast",
        "broadcast.schema.json, broadcast-cancel, dev.impush.model.broadcast.BroadcastCancel",
        "feedback.schema.json, invalid-token, dev.impush.model.feedback.InvalidTokenFeedback",
        "gateway-lease.schema.json, , dev.impush.model.event.GatewayLease",
        "push-job.schema.json, , dev.impush.model.job.PushJob",
        "dead-letter.schema.json, , dev.impush.model.deadletter.DeadLetter",
        "receipt.schema.json, , dev.impush.model.receipt.Receipt",
    })
    void schema_listsEveryRecordComponent(String file, String def, String className) throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getResourceAsStream("/schemas/" + file)) {
            assertNotNull(in, file);
            schema = Json.mapper().readTree(in);
        }
        JsonNode node = def == null ? schema : schema.path("$defs").path(def);
        Set<String> documented = new TreeSet<>();
        node.path("properties").fieldNames().forEachRemaining(documented::add);
        Set<String> actual = Arrays.stream(Class.forName(className).getRecordComponents())
                .map(c -> c.getName()).collect(Collectors.toCollection(TreeSet::new));
        actual.add("type");
        assertEquals(actual, documented, file + " " + def);
    }

}
