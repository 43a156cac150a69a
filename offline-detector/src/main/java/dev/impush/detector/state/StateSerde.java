package dev.impush.detector.state;

import dev.impush.model.codec.Json;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of the detector's own state values. A value is a format byte, then the fields as laid out
 * by {@link StateCodecs}: compact binary, because every event reads and writes a few of these and
 * JSON cost the stream thread a third of its time. Values written by earlier releases are JSON
 * objects (first byte {@code '{'}) and are still read, so an upgrade restores old changelogs; they
 * are rewritten in binary as their users change.
 *
 * <p>State is written only by the detector, so a value that cannot be read (corrupt, or from a
 * newer release after a downgrade) is a bug or damage: it fails loudly rather than being dropped.
 */
public final class StateSerde<T> implements Serde<T> {
    /** The binary format this release writes. */
    static final byte FORMAT_1 = 1;
    private static final byte LEGACY_JSON = '{';

    private final Class<T> type;
    private final StateCodec<T> codec;

    StateSerde(StateCodec<T> codec) {
        this.type = codec.type();
        this.codec = codec;
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            StateOutput out = new StateOutput();
            out.writeByte(FORMAT_1);
            codec.write(out, value);
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(topic, bytes);
    }

    private T read(String topic, byte[] bytes) {
        try {
            return switch (bytes.length == 0 ? -1 : bytes[0]) {
                case FORMAT_1 -> {
                    StateInput in = new StateInput(bytes, 1);
                    T value = codec.read(in);
                    in.requireEnd();
                    yield value;
                }
                case LEGACY_JSON -> Json.idKeyedMapper().readValue(bytes, type);
                default -> throw new SerializationException("unknown state format "
                        + (bytes.length == 0 ? "(empty value)" : "byte " + bytes[0]));
            };
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic, e);
        }
    }
}
