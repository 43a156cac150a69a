package dev.impush.detector.state;

import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How one state record type is laid out in the binary state format: the format byte this release
 * writes, its writer and reader, the readers of the type's earlier binary layouts (by format byte), and
 * the type, by which values earlier releases wrote as JSON are read.
 */
record StateCodec<T>(Class<T> type, byte format, BiConsumer<StateOutput, T> writer, Function<StateInput, T> reader,
                     Map<Byte, Function<StateInput, T>> earlierReaders) {

    /** A type still in its first binary layout, {@link StateSerde#FORMAT_1}. */
    StateCodec(Class<T> type, BiConsumer<StateOutput, T> writer, Function<StateInput, T> reader) {
        this(type, StateSerde.FORMAT_1, writer, reader, Map.of());
    }

    StateCodec {
        earlierReaders = Map.copyOf(earlierReaders);
    }

    void write(StateOutput out, T value) {
        writer.accept(out, value);
    }

    T read(StateInput in) {
        return reader.apply(in);
    }

    /** The reader of values in format {@code format}, {@code null} when this type never had that layout. */
    Function<StateInput, T> readerOf(byte format) {
        return format == this.format ? reader : earlierReaders.get(format);
    }
}
