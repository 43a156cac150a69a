package dev.impush.worker.receipt;

import com.fasterxml.jackson.databind.JsonNode;
import dev.impush.model.Channel;
import dev.impush.model.codec.Json;
import dev.impush.model.receipt.Receipt;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How each vendor's receipt callback is written (see the README's receipt section):
 * <ul>
 *   <li><b>Xiaomi</b>: a form, {@code data} = JSON {@code {"<msgId>": {"param": <tag>, "type": 1|2, "targets":
 *       "<regIds>", "jobkey", "timestamp": <ms>}}}; type 1 delivered, 2 clicked (other types are not
 *       receipts impush asks for, and are skipped).</li>
 *   <li><b>vivo</b>: JSON {@code {"<taskId>": {"param": <tag>, "targets": "<regIds>"}}}, delivered only.</li>
 *   <li><b>OPPO</b>: a JSON array of {@code {"messageId", "appId", "taskId", "registrationIds", "eventTime": <ms>,
 *       "param": <tag>, "eventType"}}; {@code push_arrive} is delivered (other events are skipped).</li>
 * </ul>
 */
final class ReceiptFormats {
    static final int XIAOMI_DELIVERED = 1;
    static final int XIAOMI_CLICKED = 2;
    static final String OPPO_DELIVERED = "push_arrive";

    private ReceiptFormats() {}

    /** The receipts of one callback body; {@link IllegalArgumentException} when it is not the vendor's format. */
    static List<VendorReceipt> parse(Channel channel, String body) {
        return switch (channel) {
            case XIAOMI -> xiaomi(formField(body, "data"));
            case VIVO -> vivo(body);
            case OPPO -> oppo(body);
            default -> throw new IllegalArgumentException(channel.wireName() + " sends no receipts here");
        };
    }

    private static List<VendorReceipt> xiaomi(String data) {
        List<VendorReceipt> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object(data).properties()) {
            JsonNode r = e.getValue();
            Receipt.Event event = switch (r.path("type").asInt(-1)) {
                case XIAOMI_DELIVERED -> Receipt.Event.DELIVERED;
                case XIAOMI_CLICKED -> Receipt.Event.CLICKED;
                default -> null;
            };
            if (event != null) {
                long ms = r.path("timestamp").asLong(0);
                out.add(new VendorReceipt(r.path("param").asText(null), event, ms > 0 ? Instant.ofEpochMilli(ms) : null));
            }
        }
        return out;
    }

    private static List<VendorReceipt> vivo(String body) {
        List<VendorReceipt> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : object(body).properties()) {
            out.add(new VendorReceipt(e.getValue().path("param").asText(null), Receipt.Event.DELIVERED, null));
        }
        return out;
    }

    private static List<VendorReceipt> oppo(String body) {
        JsonNode array = parse(body);
        if (!array.isArray()) {
            throw new IllegalArgumentException("OPPO receipts are a JSON array");
        }
        List<VendorReceipt> out = new ArrayList<>();
        for (JsonNode r : array) {
            if (OPPO_DELIVERED.equals(r.path("eventType").asText())) {
                long ms = r.path("eventTime").asLong(0); // a number or a string of digits
                out.add(new VendorReceipt(r.path("param").asText(null), Receipt.Event.DELIVERED,
                        ms > 0 ? Instant.ofEpochMilli(ms) : null));
            }
        }
        return out;
    }

    private static JsonNode object(String json) {
        JsonNode node = parse(json);
        if (!node.isObject()) {
            throw new IllegalArgumentException("receipt data is not a JSON object");
        }
        return node;
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            throw new IllegalArgumentException("no receipt data");
        }
        try {
            JsonNode node = Json.mapper().readTree(json);
            if (node == null) {
                throw new IllegalArgumentException("no receipt data");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException("receipt data is not JSON: " + e.getMessage());
        }
    }

    private static String formField(String body, String name) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
