package dev.impush.worker.channel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.codec.Json;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodyFitTest {
    private static ObjectNode body(String text) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("body", text);
        return n;
    }

    @Test
    void fullTextWhenItFits_longestPrefixOtherwise_emptyWhenNothingFits() throws Exception {
        assertEquals("{\"body\":\"hello\"}", BodyFit.longestFitting("hello", 100, BodyFitTest::body).orElseThrow());

        String text = "😀".repeat(50); // 4 bytes each: never split
        String fitted = BodyFit.longestFitting(text, 60, BodyFitTest::body).orElseThrow();
        String sent = Json.mapper().readTree(fitted).path("body").asText();
        assertTrue(fitted.getBytes(StandardCharsets.UTF_8).length <= 60);
        assertTrue(sent.endsWith("…"), sent);
        ObjectNode oneMore = body(TextLimits.truncate(text, sent.codePointCount(0, sent.length()) + 1));
        assertTrue(VendorHttp.jsonBytes(oneMore).length > 60, "the longest prefix that fits");

        assertEquals(Optional.empty(), BodyFit.longestFitting("hello", 5, BodyFitTest::body));
    }

    @Test
    void utf8Length_countsAsTheEncoderDoes() {
        for (String s : new String[] {"", "ascii", "é ß", "中文推送", "😀 and 👍🏽", "mixed é 中 😀 end"}) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, BodyFit.utf8Length(s), s);
        }
        assertEquals(3, BodyFit.utf8Length("\uD83D"), "a lone surrogate counts at most what it takes");
    }
}
