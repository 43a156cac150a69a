package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.redis.RedisServerProcess;
import dev.impush.model.dedupe.DedupeKey;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import dev.impush.worker.dedupe.Claim;
import dev.impush.worker.dedupe.DedupeStore;
import io.lettuce.core.TimeoutOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The worker's Redis connection on a redis-server that takes only TLS (a CA made for the test) and
 * only an ACL user (the default user is off), configured with the {@code IMPUSH_REDIS_*} settings of
 * the README: dedupe claims work, and a wrong password, a missing CA or a missing login are refused
 * with a message that names the setting and carries no secret. The whole pipeline on such a Redis
 * runs in {@link KafkaSaslTlsIT}.
 */
@Timeout(60)
class RedisTlsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static RedisServerProcess redis;

    @BeforeAll
    static void start() {
        redis = RedisServerProcess.startTls();
    }

    @AfterAll
    static void stop() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aclUserOverTls_claimsAndMarksDedupeKeys() throws Exception {
        RedisConnection connection = RedisConnection.fromEnv(Env.of(redis.serviceEnv()));
        try (RedisLink link = open(connection);
             DedupeStore a = new DedupeStore(link, "tls-a", Duration.ofSeconds(30), Duration.ofDays(1), TIMEOUT,
                     Clock.systemUTC(), true);
             DedupeStore b = new DedupeStore(link, "tls-b", Duration.ofSeconds(30), Duration.ofDays(1), TIMEOUT,
                     Clock.systemUTC(), true)) {
            DedupeKey key = DedupeKey.of("tls-user", "tls-m1", "tls-device", java.time.Instant.now().plusSeconds(3600));
            assertInstanceOf(Claim.Claimed.class, a.claim(List.of(key)).getFirst());
            assertInstanceOf(Claim.HeldElsewhere.class, b.claim(List.of(key)).getFirst());
        }
        assertTrue(connection.toString().startsWith("rediss://127.0.0.1:") && connection.toString().contains("as impush"),
                connection.toString());
    }

    @Test
    void wrongPassword_isRefusedNamingTheKey_notTheSecret() throws Exception {
        Map<String, String> env = new HashMap<>(redis.serviceEnv());
        String right = Files.readString(Path.of(env.get(RedisConnection.PASSWORD_FILE)));
        env.put(RedisConnection.PASSWORD_FILE,
                Files.writeString(Files.createTempFile("impush-redis-wrong", ".pw"), "wrong-" + right).toString());

        ConfigException e = refused(env);
        assertTrue(e.getMessage().contains("refused the login") && e.getMessage().contains(RedisConnection.USERNAME),
                e.getMessage());
        assertFalse(e.getMessage().contains(right), "no secret in: " + e.getMessage());
    }

    @Test
    void withoutLogin_theDisabledDefaultUserIsRefused() {
        Map<String, String> env = new HashMap<>(redis.serviceEnv());
        env.remove(RedisConnection.USERNAME);
        env.remove(RedisConnection.PASSWORD_FILE);

        assertTrue(refused(env).getMessage().contains("refused the login"));
    }

    @Test
    void withoutTheCa_theTlsHandshakeFails_namingTheCaSetting() {
        Map<String, String> env = new HashMap<>(redis.serviceEnv());
        env.remove(RedisConnection.CA_FILE);

        ConfigException e = refused(env);
        assertTrue(e.getMessage().contains("TLS handshake") && e.getMessage().contains(RedisConnection.CA_FILE),
                e.getMessage());
    }

    @Test
    void plaintextClient_getsNoAnswer() {
        Map<String, String> env = new HashMap<>(redis.serviceEnv());
        env.put(RedisConnection.URI_KEY, redis.uri().replace("rediss://", "redis://"));
        env.remove(RedisConnection.CA_FILE);
        try (RedisLink link = open(RedisConnection.fromEnv(Env.of(env)))) {
            assertThrows(Exception.class, () -> {
                try (var c = link.connect()) {
                    c.sync().ping();
                }
            });
        }
    }

    private static ConfigException refused(Map<String, String> env) {
        RedisConnection connection = RedisConnection.fromEnv(Env.of(env));
        return assertThrows(ConfigException.class, () -> open(connection).close());
    }

    private static RedisLink open(RedisConnection connection) {
        return connection.open(o -> o.timeoutOptions(TimeoutOptions.enabled(TIMEOUT)), TIMEOUT);
    }
}
