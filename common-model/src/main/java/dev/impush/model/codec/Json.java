package dev.impush.model.codec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;

/** The one Jackson configuration for every contract: ISO-8601 times, unknown fields ignored, nulls omitted. */
public final class Json {
    /** Deeper nesting than this is hostile input, not an IM event. */
    public static final int MAX_NESTING_DEPTH = 32;

    private static final ObjectMapper MAPPER = build(true);

    /**
     * The same configuration for documents whose field names are mostly ids (maps keyed by device or
     * message id, such as the detector's state as earlier releases wrote it, still read on restore):
     * names are not canonicalized, since adding every id to the shared symbol table costs more than it
     * saves and churns the table.
     */
    private static final ObjectMapper ID_KEYED = build(false);

    private static ObjectMapper build(boolean canonicalizeNames) {
        JsonFactory factory = JsonFactory.builder()
                // Map keys (device ids, message ids, custom data) are read as field names: interning
                // each new one costs a String.intern() and grows the JVM's string table without bound.
                .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
                .configure(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES, canonicalizeNames)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(1 << 20)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .addModule(new JavaTimeModule())
                // Property access through generated lambdas instead of reflection: record accessors were
                // the largest single cost of writing the detector's state while it was JSON; jobs and
                // dead letters are written the same way.
                .addModule(new BlackbirdModule())
                .addModule(new SimpleModule("impush-instants").addDeserializer(Instant.class, new IsoInstants.Deserializer()))
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // An absent boolean or number means false / 0 (e.g. "sandbox", "silent", "ttlSeconds"),
                // so producers may omit them; an absent "v" reads as 0 and is refused as unsupported.
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .build();
    }

    private Json() {}

    /** Thread-safe; do not reconfigure. For documents keyed by ids; see {@link #ID_KEYED}. */
    public static ObjectMapper idKeyedMapper() {
        return ID_KEYED;
    }

    /** Thread-safe; do not reconfigure. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
