package dev.impush.worker.channel.apns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApnsConfigTest {
    @TempDir
    Path dir;
    private Path keyFile;

    @BeforeEach
    void keyFile() throws Exception {
        keyFile = Files.writeString(dir.resolve("AuthKey_ABCDEFGHIJ.p8"), "not read by the config");
    }

    @Test
    void fromEnv_withoutKeyFile_isEmpty() {
        assertEquals(Optional.empty(), ApnsConfig.fromEnv(Env.of(Map.of(ApnsConfig.KEY_ID, "ABCDEFGHIJ"))));
    }

    @Test
    void fromEnv_minimal_usesAppleHostsAndDefaults() {
        ApnsConfig config = ApnsConfig.fromEnv(Env.of(minimal())).orElseThrow();

        assertEquals("api.push.apple.com", config.host(false));
        assertEquals("api.sandbox.push.apple.com", config.host(true));
        assertEquals(443, config.port());
        assertEquals(8, config.concurrentConnections());
        assertEquals(Duration.ofSeconds(60), config.rateLimitBackoff());
        assertEquals(Optional.empty(), config.trustedServerCertificateFile());
        assertEquals("ABCDEFGHIJ", config.keyId());
        assertEquals("KLMNOPQRST", config.teamId());
    }

    @Test
    void fromEnv_everything_isRead() throws Exception {
        Path cert = Files.writeString(dir.resolve("ca.pem"), "pem");
        Map<String, String> env = minimal();
        env.put(ApnsConfig.HOST, "127.0.0.1");
        env.put(ApnsConfig.PORT, "2197");
        env.put(ApnsConfig.TRUST_CERT_FILE, cert.toString());
        env.put(ApnsConfig.CONNECTIONS, "3");
        env.put(ApnsConfig.RATE_LIMIT_BACKOFF_MS, "1500");

        ApnsConfig config = ApnsConfig.fromEnv(Env.of(env)).orElseThrow();

        assertEquals("127.0.0.1", config.host(false));
        assertEquals("127.0.0.1", config.host(true));
        assertEquals(2197, config.port());
        assertEquals(Optional.of(cert), config.trustedServerCertificateFile());
        assertEquals(3, config.concurrentConnections());
        assertEquals(Duration.ofMillis(1500), config.rateLimitBackoff());
    }

    @Test
    void fromEnv_missingKeyId_namesTheVariable() {
        Map<String, String> env = minimal();
        env.remove(ApnsConfig.KEY_ID);

        assertMessageNames(ApnsConfig.KEY_ID, env);
    }

    @Test
    void fromEnv_missingTeamId_namesTheVariable() {
        Map<String, String> env = minimal();
        env.remove(ApnsConfig.TEAM_ID);

        assertMessageNames(ApnsConfig.TEAM_ID, env);
    }

    @Test
    void fromEnv_unreadableKeyFile_namesTheVariable() {
        Map<String, String> env = minimal();
        env.put(ApnsConfig.KEY_FILE, dir.resolve("missing.p8").toString());

        assertMessageNames(ApnsConfig.KEY_FILE, env);
    }

    @Test
    void fromEnv_hostWithScheme_namesTheVariable() {
        Map<String, String> env = minimal();
        env.put(ApnsConfig.HOST, "https://api.push.apple.com");

        assertMessageNames(ApnsConfig.HOST, env);
    }

    @Test
    void fromEnv_badNumbers_nameTheVariable() {
        for (String key : new String[] {ApnsConfig.PORT, ApnsConfig.CONNECTIONS, ApnsConfig.RATE_LIMIT_BACKOFF_MS}) {
            Map<String, String> env = minimal();
            env.put(key, "-1");
            assertMessageNames(key, env);
        }
        Map<String, String> env = minimal();
        env.put(ApnsConfig.CONNECTIONS, "65");
        assertMessageNames(ApnsConfig.CONNECTIONS, env);
    }

    private Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put(ApnsConfig.KEY_FILE, keyFile.toString());
        env.put(ApnsConfig.KEY_ID, "ABCDEFGHIJ");
        env.put(ApnsConfig.TEAM_ID, "KLMNOPQRST");
        return env;
    }

    private static void assertMessageNames(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> ApnsConfig.fromEnv(Env.of(env)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
