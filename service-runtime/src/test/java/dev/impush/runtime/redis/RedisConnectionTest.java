package dev.impush.runtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code IMPUSH_REDIS_*}: seed lists, the mode, credentials kept out of messages. */
class RedisConnectionTest {
    private static RedisConnection read(Map<String, String> env) {
        return RedisConnection.fromEnv(Env.of(env));
    }

    @Test
    void aSeedListWithStandaloneMode_isRefusedNamingBothKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
                RedisConnection.URI_KEY, "redis://a:6379, redis://b:6379",
                RedisConnection.MODE_KEY, "standalone")));
        assertTrue(e.getMessage().contains(RedisConnection.URI_KEY) && e.getMessage().contains(RedisConnection.MODE_KEY),
                e.getMessage());
    }

    @Test
    void anUnknownMode_namesTheChoices() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(RedisConnection.MODE_KEY, "sentinel")));
        assertTrue(e.getMessage().contains("[auto, standalone, cluster]"), e.getMessage());
    }

    @Test
    void credentialsInTheSeeds_neverShow() {
        RedisConnection c = read(Map.of(RedisConnection.URI_KEY, "redis://u:s3cret@a:6379,redis://u:s3cret@b:6379"));
        assertEquals("redis://a:6379,redis://b:6379", c.toString());
        assertFalse(c.toString().contains("s3cret"));
    }

    @Test
    void credentialsInTheUriAndThePasswordKey_areRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
                RedisConnection.URI_KEY, "redis://a:6379,redis://u:pw@b:6379", RedisConnection.PASSWORD, "pw2")));
        assertTrue(e.getMessage().contains("use one or the other"), e.getMessage());
        assertFalse(e.getMessage().contains("pw2"));
    }

    @Test
    void aCaFile_needsTlsOnEverySeed(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(
                RedisConnection.URI_KEY, "rediss://a:6380,redis://b:6379", RedisConnection.CA_FILE, ca.toString())));
        assertTrue(e.getMessage().contains(RedisConnection.CA_FILE), e.getMessage());
    }

    @Test
    void notAUri_isRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> read(Map.of(RedisConnection.URI_KEY, "a:6379")));
        assertTrue(e.getMessage().startsWith(RedisConnection.URI_KEY), e.getMessage());
    }
}
