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
 * </ul>
 */
final class ReceiptFormats {
    static final int XIAOMI_DELIVERED = 1;
    static final int XIAOMI_CLICKED = 2;

    private ReceiptFormats() {}

    /** The receipts of one callback body; {@link IllegalArgumentException} when it is not the vendor's format. */
    static List<VendorReceipt> parse(Channel channel, String body) {
        return switch (channel) {
            case XIAOMI -> xiaomi(formField(body, "data"));
            case VIVO -> vivo(body);
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

    private static JsonNode object(String json) {
        if (json == null) {
            throw new IllegalArgumentException("no receipt data");
        }
        try {
            JsonNode node = Json.mapper().readTree(json);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("receipt data is not a JSON object");
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
