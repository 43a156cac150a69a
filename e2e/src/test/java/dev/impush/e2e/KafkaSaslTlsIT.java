package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.DetectorConfig;
import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.OfflineDetector;
import dev.impush.localstack.apns.MockApns;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.runtime.kafka.KafkaConnection;
import dev.impush.runtime.kafka.TopicCheck;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.worker.PushWorker;
import dev.impush.worker.WorkerConfig;
import dev.impush.worker.channel.Channels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipeline on secured clusters: a broker that takes only SASL_SSL (SCRAM-SHA-512 over TLS, a CA
 * made for the test) and a Redis that takes only TLS and an ACL user. The detector, a worker and the
 * IM platform's producer log in with the {@code IMPUSH_KAFKA_*} and {@code IMPUSH_REDIS_*} settings of
 * the README; a plaintext client, a client without the CA and wrong passwords are refused, and the
 * services say so at start without printing a secret.
 */
@Timeout(240)
class KafkaSaslTlsIT {
    private static LocalPipeline pipeline;
    private static ImTraffic traffic;

    @BeforeAll
    static void start() {
        try {
            pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withSecuredClusters());
            pipeline.startWorker("sasl-worker-1");
            traffic = new ImTraffic(pipeline.stack().kafka(), Topics.EVENTS, Topics.GATEWAYS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void stop() {
        if (traffic != null) {
            traffic.close();
        }
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void detectorAndWorker_deliverOverSaslSsl_andAnInvalidTokenIsRemoved() throws Exception {
        Population.Device android = device("sasl-a", "android", Channel.FCM, "fcm-sasl-a", false, true);
        Population.Device iphone = device("sasl-b", "iphone", Channel.APNS, MockApns.randomToken(), false, true);
        Population.Device online = device("sasl-c", "android", Channel.FCM, "fcm-sasl-c", true, true);
        Population.Device dead = device("sasl-d", "iphone", Channel.APNS, MockApns.randomToken(), false, false);
        Population population = new Population(List.of(android, iphone, online, dead));
        Instant registeredAt = Instant.now().minusSeconds(60);
        pipeline.registerAtVendors(population, registeredAt);
        traffic.connect(population, "gw-sasl", registeredAt);
        double removedBefore = pipeline.count(DetectorMetrics.TOKENS_REMOVED);
        for (String user : population.userIds()) {
            traffic.message(population, user, "sasl-" + user, "over TLS", Instant.now());
        }
        traffic.flush();

        Await.until(Duration.ofSeconds(60), () -> shown(android) == 1 && shown(iphone) == 1,
                () -> "offline devices not shown: fcm " + shown(android) + ", apns " + shown(iphone));
        Await.until(Duration.ofSeconds(60), () -> pipeline.count(DetectorMetrics.TOKENS_REMOVED) > removedBefore,
                () -> "the invalid token's feedback did not reach the detector");
        assertEquals(0, pipeline.ledger(Channel.FCM).requests("sasl-" + online.userId(), online.deviceId()),
                "the online device is not pushed");
    }

    @Test
    void plaintextClient_isRefused() {
        KafkaConnection plaintext = KafkaConnection.plaintext(pipeline.bootstrapServers());

        assertThrows(ConfigException.class, () -> TopicCheck.existing(plaintext, Pattern.compile(".*"), Duration.ofSeconds(5)));
    }

    @Test
    void withoutTheCa_theTlsHandshakeFails_namingTheCaSetting() {
        Map<String, String> env = new HashMap<>(pipeline.stack().kafka().serviceEnv());
        env.remove(KafkaConnection.SSL_CA_FILE);

        ConfigException e = assertThrows(ConfigException.class, () -> TopicCheck.existing(
                KafkaConnection.fromEnv(Env.of(env)), Pattern.compile(".*"), Duration.ofSeconds(20)));
        assertTrue(e.getMessage().contains("TLS handshake") && e.getMessage().contains(KafkaConnection.SSL_CA_FILE),
                e.getMessage());
    }

    @Test
    void wrongPassword_stopsWorkerAndDetectorAtStart_namingTheKey_notTheSecret() throws Exception {
        Map<String, String> env = new HashMap<>(pipeline.stack().kafka().serviceEnv());
        String right = Files.readString(Path.of(env.get(KafkaConnection.SASL_PASSWORD_FILE)));
        String wrong = "wrong-" + right;
        env.put(KafkaConnection.SASL_PASSWORD_FILE, Files.writeString(Files.createTempFile("impush-wrong", ".pw"), wrong).toString());
        env.put(DetectorConfig.STATE_DIR, Files.createTempDirectory("impush-sasl-detector").toString());
        Env vars = Env.of(env);

        ConfigException worker = assertThrows(ConfigException.class, () -> PushWorker.start(
                WorkerConfig.fromEnv(vars), Channels.of(Map.of()), new SimpleMeterRegistry(), Clock.systemUTC()));
        ConfigException detector = assertThrows(ConfigException.class,
                () -> OfflineDetector.start(DetectorConfig.fromEnv(vars), new SimpleMeterRegistry()));
        for (ConfigException e : List.of(worker, detector)) {
            assertTrue(e.getMessage().contains("refused the SASL login")
                    && e.getMessage().contains(KafkaConnection.SASL_USERNAME), e.getMessage());
            assertFalse(e.getMessage().contains(right), "no secret in: " + e.getMessage());
        }
    }

    @Test
    void wrongRedisPassword_stopsTheWorkerAtStart_namingTheKey() throws Exception {
        Map<String, String> env = new HashMap<>(pipeline.workerEnv("sasl-worker-bad-redis"));
        String right = Files.readString(Path.of(env.get(RedisConnection.PASSWORD_FILE)));
        env.put(RedisConnection.PASSWORD_FILE,
                Files.writeString(Files.createTempFile("impush-wrong", ".pw"), "wrong-" + right).toString());

        ConfigException e = assertThrows(ConfigException.class, () -> PushWorker.start(
                WorkerConfig.fromEnv(Env.of(env)), Channels.of(Map.of()), new SimpleMeterRegistry(), Clock.systemUTC()));
        assertTrue(e.getMessage().contains("Redis") && e.getMessage().contains(RedisConnection.USERNAME), e.getMessage());
        assertFalse(e.getMessage().contains(right), "no secret in: " + e.getMessage());
    }

    private static int shown(Population.Device d) {
        return pipeline.ledger(d.channel()).shown("sasl-" + d.userId(), d.deviceId());
    }

    private static Population.Device device(String user, String id, Channel channel, String token, boolean online,
                                            boolean valid) {
        return new Population.Device(user, user + "-" + id, channel, token,
                channel == Channel.APNS ? "com.example.chat" : "com.example.chat.android", online, valid);
    }
}
