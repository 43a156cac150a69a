package dev.impush.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonSizeTest {
    private static final char[] ALPHABET = {'a', 'Z', '7', ' ', '"', '\\', '\n', '\u0001', 'é', 'ß', '长', '€',
            '\uD83D', '\uDE00'};

    private static int encoded(String s) {
        return Json.write(s).length;
    }

    @Test
    void isExactForText_andAnUpperBoundWithControlCharacters() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                char c = ALPHABET[random.nextInt(ALPHABET.length)];
                if (c == '\uD83D') {
                    b.append("\uD83D\uDE00"); // only whole pairs: a lone half is not valid text
                } else if (c != '\uDE00') {
                    b.append(c);
                }
            }
            String s = b.toString();
            int actual = encoded(s);
            if (s.chars().anyMatch(c -> c < 0x20)) {
                assertTrue(JsonSize.of(s) >= actual, s);
            } else {
                assertEquals(actual, JsonSize.of(s), s);
            }
        }
    }

    @Test
    void countsNullAsTheLiteral() {
        assertEquals(4, JsonSize.of(null));
    }
}
