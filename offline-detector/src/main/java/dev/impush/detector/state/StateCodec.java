package dev.impush.detector.state;

import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * How one state record type is laid out in the binary state format: its writer and its reader, and
 * the type, by which values earlier releases wrote as JSON are read.
 */
record StateCodec<T>(Class<T> type, BiConsumer<StateOutput, T> writer, Function<StateInput, T> reader) {
    void write(StateOutput out, T value) {
        writer.accept(out, value);
    }

    T read(StateInput in) {
        return reader.apply(in);
    }
}
