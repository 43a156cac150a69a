package dev.impush.worker.channel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.impush.model.codec.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BodyFitTest {
    private static ObjectNode body(String text) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("body", text);
        return n;
    }

    @Test
    void fullTextWhenItFits_longestPrefixOtherwise_emptyWhenNothingFits() {
        assertEquals("hello", BodyFit.longestFitting("hello", 100, BodyFitTest::body).orElseThrow().path("body").asText());

        String text = "😀".repeat(50); // 4 bytes each: never split
        ObjectNode fitted = BodyFit.longestFitting(text, 60, BodyFitTest::body).orElseThrow();
        String sent = fitted.path("body").asText();
        assertTrue(VendorHttp.jsonBytes(fitted).length <= 60);
        assertTrue(sent.endsWith("…"), sent);
        ObjectNode oneMore = body(TextLimits.truncate(text, sent.codePointCount(0, sent.length()) + 1));
        assertTrue(VendorHttp.jsonBytes(oneMore).length > 60, "the longest prefix that fits");

        assertEquals(Optional.empty(), BodyFit.longestFitting("hello", 5, BodyFitTest::body));
    }
}
