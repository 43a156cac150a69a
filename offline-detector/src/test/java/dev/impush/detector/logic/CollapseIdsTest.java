package dev.impush.detector.logic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CollapseIdsTest {

    @Test
    void of_shortMessageId_isTheMessageId() {
        assertEquals("m-9001", CollapseIds.of("m-9001"));
    }

    @Test
    void of_exactly64Bytes_isTheMessageId() {
        String id = "x".repeat(64);
        assertEquals(id, CollapseIds.of(id));
    }

    @Test
    void of_longerThan64Bytes_isA64CharHexDigest() {
        String id = "x".repeat(65);
        String collapse = CollapseIds.of(id);
        assertEquals(64, collapse.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(collapse.matches("[0-9a-f]{64}"));
        assertEquals(collapse, CollapseIds.of(id), "deterministic");
        assertNotEquals(collapse, CollapseIds.of("x".repeat(66)));
    }

    @Test
    void of_multiByteCharacters_countsBytesNotChars() {
        String id = "消息".repeat(11); // 22 chars, 66 UTF-8 bytes
        assertTrue(CollapseIds.of(id).matches("[0-9a-f]{64}"));
    }
}
