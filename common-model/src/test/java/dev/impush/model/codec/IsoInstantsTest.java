package dev.impush.model.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsoInstantsTest {
    private record Stamp(Instant at) {}

    @Test
    void agreesWithInstantParseOnEveryPrecision() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            int nanos = random.nextInt(1_000_000_000);
            nanos = switch (i % 3) {
                case 0 -> nanos / 1_000_000 * 1_000_000; // millisecond precision
                case 1 -> 0;
                default -> nanos;
            };
            Instant at = Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L), nanos);
            String text = at.toString();
            Instant expected = Instant.parse(text);
            Instant fast = IsoInstants.parseUtc(text);
            if (fast != null) {
                assertEquals(expected, fast, text);
            } else {
                assertEquals(true, text.startsWith("+") || text.startsWith("-") || text.length() > 30, text);
            }
        }
        assertEquals(Instant.parse("2024-02-29T23:59:59.5Z"), IsoInstants.parseUtc("2024-02-29T23:59:59.5Z"));
        assertEquals(Instant.parse("1970-01-01T00:00:00Z"), IsoInstants.parseUtc("1970-01-01T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-25T20:16:54+08:00", "2026-11-25T20:16:54.Z", "2026-11-25 20:16:54Z",
            "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T20:16:54.1234567890Z",
            "2026-11-25T20:16:5xZ", "2026-11-25T20:16:54z", "+12026-11-25T20:16:54Z"})
    void leavesOtherFormsToJackson(String text) {
        assertNull(IsoInstants.parseUtc(text));
    }

    @Test
    void jacksonStillAcceptsWhatItAcceptedAndRefusesTheRest() throws Exception {
        var reader = Json.mapper().readerFor(Stamp.class);
        assertEquals(Instant.parse("2026-11-25T12:16:54Z"),
                reader.<Stamp>readValue("{\"at\":\"2026-11-25T20:16:54+08:00\"}").at());
        assertEquals(Instant.parse("2026-11-25T20:16:54.123Z"),
                reader.<Stamp>readValue("{\"at\":\"2026-11-25T20:16:54.123Z\"}").at());
        assertEquals(Instant.ofEpochSecond(1_764_000_000L), reader.<Stamp>readValue("{\"at\":1764000000}").at());
        assertThrows(InvalidFormatException.class, () -> reader.readValue("{\"at\":\"2025-02-29T00:00:00Z\"}"));
        assertThrows(InvalidFormatException.class, () -> reader.readValue("{\"at\":\"yesterday\"}"));
    }
}
