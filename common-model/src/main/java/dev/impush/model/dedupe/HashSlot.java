package dev.impush.model.dedupe;

import java.nio.charset.StandardCharsets;

/** Redis Cluster's hash slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key without one, mod 16384. */
final class HashSlot {
    static final int SLOTS = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private HashSlot() {}

    /** The slot of a key whose hash tag is {@code tag} (or of the key {@code tag} itself). */
    static int of(String tag) {
        int crc = 0;
        for (byte b : tag.getBytes(StandardCharsets.UTF_8)) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ b) & 0xFF]) & 0xFFFF;
        }
        return crc % SLOTS;
    }
}
