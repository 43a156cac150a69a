package dev.impush.detector.state;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Writes the primitives of the binary state format ({@link StateCodecs}) into a growable buffer.
 * One per value; not thread-safe.
 */
final class StateOutput {
    private byte[] buf = new byte[128];
    private int size;

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeBoolean(boolean v) {
        writeByte(v ? 1 : 0);
    }

    /** Unsigned LEB128: 7 bits per byte, low first; the top bit says another byte follows. */
    void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    /** Zig-zag, so small negative numbers stay short too. */
    void writeSignedVarLong(long v) {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    /** {@code null} as length 0; otherwise UTF-8 byte length + 1, then the bytes. */
    void writeString(String s) {
        if (s == null) {
            writeVarLong(0);
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeVarLong(bytes.length + 1L);
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    /** A presence byte, then epoch seconds (signed) and nanos: exact to the nanosecond. */
    void writeInstant(Instant t) {
        writeBoolean(t != null);
        if (t != null) {
            writeSignedVarLong(t.getEpochSecond());
            writeVarLong(t.getNano());
        }
    }

    /** An enum by name (stable when constants are added or reordered), {@code null} as the empty string. */
    void writeEnum(Enum<?> e) {
        writeString(e == null ? null : e.name());
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
