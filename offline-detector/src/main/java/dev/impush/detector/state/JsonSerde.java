package dev.impush.detector.state;

import com.fasterxml.jackson.databind.ObjectReader;
import dev.impush.model.codec.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * JSON with the contracts' Jackson configuration, for values the detector writes rarely (a
 * broadcast's progress, a copy of a broadcast command); hot per-user state is {@link StateSerde}.
 */
public final class JsonSerde {
    private JsonSerde() {}

    public static <T> Serde<T> of(Class<T> type) {
        ObjectReader reader = Json.mapper().readerFor(type);
        return Serdes.serdeFrom((topic, value) -> value == null ? null : Json.write(value), (topic, bytes) -> {
            try {
                return bytes == null ? null : reader.readValue(bytes);
            } catch (IOException e) {
                throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic, e);
            }
        });
    }
}
