package dev.impush.detector.state;

/** How one state record type is laid out in the binary state format. */
interface StateCodec<T> {
    void write(StateOutput out, T value);

    T read(StateInput in);
}
