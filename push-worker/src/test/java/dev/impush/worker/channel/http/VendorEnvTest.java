package dev.impush.worker.channel.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VendorEnvTest {
    private static final URI DEFAULT = URI.create("https://vendor.example");

    @Test
    void secret_fromValueOrTrimmedFile_exactlyOneWhenRequired(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s"), "  from-file\n");
        assertEquals(Optional.empty(), VendorEnv.optionalSecret(Env.of(Map.of()), "S", "S_FILE"));
        assertEquals("v", VendorEnv.requiredSecret(Env.of(Map.of("S", "v")), "S", "S_FILE"));
        assertEquals("from-file", VendorEnv.requiredSecret(Env.of(Map.of("S_FILE", file.toString())), "S", "S_FILE"));
        assertNames("S_FILE", () -> VendorEnv.optionalSecret(Env.of(Map.of("S", "v", "S_FILE", file.toString())), "S", "S_FILE"));
        assertNames("S_FILE", () -> VendorEnv.requiredSecret(Env.of(Map.of()), "S", "S_FILE"));
        Path empty = Files.writeString(dir.resolve("e"), " \n");
        assertNames("S_FILE", () -> VendorEnv.optionalSecret(Env.of(Map.of("S_FILE", empty.toString())), "S", "S_FILE"));
    }

    @Test
    void urls_checkSchemeHostAndPath() {
        assertEquals(DEFAULT, VendorEnv.httpUrl(Env.of(Map.of()), "U", DEFAULT));
        assertEquals(URI.create("http://h:1/a/"), VendorEnv.httpUrl(Env.of(Map.of("U", "http://h:1/a/")), "U", DEFAULT));
        assertNames("U", () -> VendorEnv.httpUrl(Env.of(Map.of("U", "ftp://h")), "U", DEFAULT));
        assertNames("U", () -> VendorEnv.httpUrl(Env.of(Map.of("U", "/relative")), "U", DEFAULT));
    }

    @Test
    void codes_numericCommaListOrNone() {
        assertEquals(Set.of("1"), VendorEnv.codes(Env.of(Map.of()), "C", Set.of("1")));
        assertEquals(Set.of("80300007", "-2"), VendorEnv.codes(Env.of(Map.of("C", " 80300007, -2 ,")), "C", Set.of()));
        assertEquals(Set.of(), VendorEnv.codes(Env.of(Map.of("C", "none")), "C", Set.of("1")));
        assertNames("C", () -> VendorEnv.codes(Env.of(Map.of("C", "1,x")), "C", Set.of()));
        assertEquals(Set.of(10000, 10001), VendorEnv.intCodes(Env.of(Map.of("C", "10000,10001")), "C", Set.of()));
        assertNames("C", () -> VendorEnv.intCodes(Env.of(Map.of("C", "99999999999")), "C", Set.of()));
    }

    @Test
    void pairsZoneAndMillis() {
        assertEquals(Map.of("a", "1", "b", "2"), VendorEnv.pairs(Env.of(Map.of("P", "a=1, b = 2,")), "P"));
        assertNames("P", () -> VendorEnv.pairs(Env.of(Map.of("P", "a=1,b")), "P"));
        assertEquals(ZoneId.of("Asia/Shanghai"), VendorEnv.zone(Env.of(Map.of("Z", "Asia/Shanghai")), "Z", ZoneId.of("UTC")));
        assertNames("Z", () -> VendorEnv.zone(Env.of(Map.of("Z", "Mars/Olympus")), "Z", ZoneId.of("UTC")));
        assertEquals(Duration.ofMillis(250), VendorEnv.positiveMillis(Env.of(Map.of("T", "250")), "T", Duration.ofSeconds(1)));
        assertNames("T", () -> VendorEnv.positiveMillis(Env.of(Map.of("T", "0")), "T", Duration.ofSeconds(1)));
        assertEquals("", VendorEnv.omitNone("NONE"));
        assertEquals("IM", VendorEnv.omitNone("IM"));
    }

    private static void assertNames(String key, Runnable read) {
        ConfigException e = assertThrows(ConfigException.class, read::run);
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
