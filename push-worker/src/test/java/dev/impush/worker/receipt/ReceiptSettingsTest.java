package dev.impush.worker.receipt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.model.Channel;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReceiptSettingsTest {

    @Test
    void off_unlessTheUrlIsSet() {
        assertTrue(ReceiptSettings.fromEnv(Env.of(Map.of())).isEmpty());
    }

    @Test
    void eachChannelHasItsPath_underTheBaseUrl() {
        ReceiptSettings s = ReceiptSettings.fromEnv(Env.of(Map.of(ReceiptSettings.URL, "https://push.example.com/r/",
                ReceiptSettings.KEY, "0123456789abcdef"))).orElseThrow();
        assertEquals("https://push.example.com/r/xiaomi", s.callback(Channel.XIAOMI));
        assertEquals("/r/vivo", s.path(Channel.VIVO));
        assertEquals(8082, s.port());
        assertEquals("push.receipts", s.topic());
    }

    @Test
    void aUrlWithoutAKey_orAShortKey_orARelativeUrl_stopsTheWorker() {
        assertThrows(ConfigException.class, () -> ReceiptSettings.fromEnv(Env.of(Map.of(ReceiptSettings.URL,
                "https://push.example.com/r"))));
        assertThrows(ConfigException.class, () -> ReceiptSettings.fromEnv(Env.of(Map.of(ReceiptSettings.URL,
                "https://push.example.com/r", ReceiptSettings.KEY, "short"))));
        assertThrows(ConfigException.class, () -> ReceiptSettings.fromEnv(Env.of(Map.of(ReceiptSettings.URL,
                "/r", ReceiptSettings.KEY, "0123456789abcdef"))));
    }
}
