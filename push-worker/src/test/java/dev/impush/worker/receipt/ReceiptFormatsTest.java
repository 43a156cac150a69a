package dev.impush.worker.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.impush.model.Channel;
import dev.impush.model.receipt.Receipt;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receipt callbacks as each vendor writes them. */
class ReceiptFormatsTest {

    @Test
    void xiaomi_aFormWhoseDataMapsMessageIdsToReceipts_deliveredAndClicked() {
        String data = """
                {"slm1":{"param":"t1","type":1,"targets":"r1","jobkey":"","timestamp":1764835200000},
                 "slm2":{"param":"t2","type":2,"targets":"r2"},
                 "slm3":{"param":"t3","type":16,"targets":"r3"}}""";
        List<VendorReceipt> out = ReceiptFormats.parse(Channel.XIAOMI,
                "data=" + URLEncoder.encode(data, StandardCharsets.UTF_8));
        assertEquals(List.of(new VendorReceipt("t1", Receipt.Event.DELIVERED, Instant.ofEpochMilli(1764835200000L)),
                new VendorReceipt("t2", Receipt.Event.CLICKED, null)), out, "type 16 (invalid target) is no receipt");
    }

    @Test
    void vivo_aJsonObjectOfTaskIds_deliveredOnly() {
        assertEquals(List.of(new VendorReceipt("t1", Receipt.Event.DELIVERED, null)),
                ReceiptFormats.parse(Channel.VIVO, "{\"task-1\":{\"param\":\"t1\",\"targets\":\"r1\"}}"));
    }

    @Test
    void oppo_aJsonArrayOfEvents_pushArriveIsDelivered() {
        String body = """
                [{"messageId":"o1","appId":"a","taskId":"o1","registrationIds":"r1","eventTime":"1764835200000",
                  "param":"t1","eventType":"push_arrive"},
                 {"messageId":"o2","registrationIds":"r2","eventTime":1764835200001,"param":"t2","eventType":"regid_invalid"}]""";
        assertEquals(List.of(new VendorReceipt("t1", Receipt.Event.DELIVERED, Instant.ofEpochMilli(1764835200000L))),
                ReceiptFormats.parse(Channel.OPPO, body));
    }

    @Test
    void aBodyNotInTheVendorsFormat_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> ReceiptFormats.parse(Channel.XIAOMI, "nodata=1"));
        assertThrows(IllegalArgumentException.class, () -> ReceiptFormats.parse(Channel.VIVO, "[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> ReceiptFormats.parse(Channel.VIVO, "{broken"));
        assertThrows(IllegalArgumentException.class, () -> ReceiptFormats.parse(Channel.OPPO, "{}"));
        assertThrows(IllegalArgumentException.class, () -> ReceiptFormats.parse(Channel.APNS, "{}"));
    }
}
