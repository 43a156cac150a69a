package dev.impush.detector.state;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Reads what {@link StateOutput} wrote. Every read checks its bounds: a truncated or corrupt value
 * fails with a {@link SerializationException} instead of yielding a wrong one.
 */
final class StateInput {
    private final byte[] buf;
    private int pos;

    StateInput(byte[] buf, int offset) {
        this.buf = buf;
        this.pos = offset;
    }

    int readByte() {
        require(1);
        return buf[pos++] & 0xFF;
    }

    boolean readBoolean() {
        int b = readByte();
        if (b > 1) {
            throw corrupt("boolean byte " + b);
        }
        return b == 1;
    }

    long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw corrupt("variable-length number longer than 10 bytes");
    }

    long readSignedVarLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    int readInt() {
        long v = readSignedVarLong();
        if (v != (int) v) {
            throw corrupt("int out of range: " + v);
        }
        return (int) v;
    }

    /** A count of following entries; each takes at least one byte, so a count beyond the rest is corrupt. */
    int readCount() {
        long n = readVarLong();
        if (Long.compareUnsigned(n, buf.length - pos) > 0) {
            throw corrupt("count " + Long.toUnsignedString(n) + " with " + (buf.length - pos) + " bytes left");
        }
        return (int) n;
    }

    String readString() {
        long n = readVarLong();
        if (n == 0) {
            return null;
        }
        if (Long.compareUnsigned(n - 1, buf.length - pos) > 0) {
            throw corrupt("string of " + Long.toUnsignedString(n - 1) + " bytes with " + (buf.length - pos) + " left");
        }
        int len = (int) (n - 1);
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    Instant readInstant() {
        if (!readBoolean()) {
            return null;
        }
        long seconds = readSignedVarLong();
        long nanos = readVarLong();
        return Instant.ofEpochSecond(seconds, nanos);
    }

    <E extends Enum<E>> E readEnum(Class<E> type) {
        String name = readString();
        return name == null ? null : Enum.valueOf(type, name);
    }

    void requireEnd() {
        if (pos != buf.length) {
            throw corrupt((buf.length - pos) + " unread bytes after the value");
        }
    }

    private void require(int n) {
        if (pos + n > buf.length) {
            throw corrupt("value ends early");
        }
    }

    private static SerializationException corrupt(String detail) {
        return new SerializationException("corrupt state value: " + detail);
    }
}
