package dev.impush.detector.state;

import dev.impush.model.codec.Json;
import java.io.IOException;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of the detector's own state values. A value is a format byte, then the fields as laid out
 * by {@link StateCodecs}: compact binary, because every event reads and writes a few of these and
 * JSON cost the stream thread a third of its time. Each type has its own format byte: a type whose
 * layout changed writes the next one and still reads its earlier ones. Values written by earlier
 * releases are JSON objects (first byte {@code '{'}) and are still read, so an upgrade restores old
 * changelogs; they are rewritten in the current format as their users change.
 *
 * <p>State is written only by the detector, so a value that cannot be read (corrupt, or from a
 * newer release after a downgrade) is a bug or damage: it fails loudly rather than being dropped.
 */
public final class StateSerde<T> implements Serde<T> {
    /** The first binary layout of each type. */
    static final byte FORMAT_1 = 1;
    /**
     * The second layout of a type (so far: {@link Connection} with its incarnation and recording time;
     * {@link UserPending} with unrouted devices and early acks).
     */
    static final byte FORMAT_2 = 2;
    /** The third layout of a type (so far: {@link UserPending} with each message's deep link). */
    static final byte FORMAT_3 = 3;
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
            out.writeByte(codec.format());
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
            if (bytes.length == 0) {
                throw new SerializationException("unknown state format (empty value)");
            }
            if (bytes[0] == LEGACY_JSON) {
                return Json.idKeyedMapper().readValue(bytes, type);
            }
            Function<StateInput, T> reader = codec.readerOf(bytes[0]);
            if (reader == null) {
                throw new SerializationException("unknown state format byte " + bytes[0]);
            }
            StateInput in = new StateInput(bytes, 1);
            T value = reader.apply(in);
            in.requireEnd();
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot read " + type.getSimpleName() + " from " + topic, e);
        }
    }
}
