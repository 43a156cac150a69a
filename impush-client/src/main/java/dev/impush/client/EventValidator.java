package dev.impush.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.impush.model.Contract;
import dev.impush.model.codec.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a record as the detector will: against the JSON Schema impush publishes for its topic
 * ({@code schemas/*.schema.json} in common-model, the same files the README documents) and against
 * the contract's own rules (lengths, ranges, times), which a schema cannot all express.
 */
final class EventValidator {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final Schema schema;

    private EventValidator(Schema schema) {
        this.schema = schema;
    }

    /** The validator of {@code schemas/<file>}. */
    static EventValidator of(String file) {
        try (InputStream in = EventValidator.class.getResourceAsStream("/schemas/" + file)) {
            if (in == null) {
                throw new IllegalStateException("schema " + file + " is not on the class path (common-model)");
            }
            return new EventValidator(REGISTRY.getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record's JSON, as it will be sent; throws when either check fails. */
    byte[] check(Contract record, String what) {
        byte[] json = Json.write(record);
        List<String> problems = new ArrayList<>(record.violations());
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Error e : schema.validate(tree)) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new InvalidEventException(what, problems);
        }
        return json;
    }
}
