package dev.impush.localstack.kafka;

import dev.impush.localstack.Ports;
import dev.impush.localstack.tls.TestCa;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (broker and controller in one) inside this JVM, on free loopback
 * ports, with internal topics sized for one node (exactly-once Streams needs the transaction log
 * at replication 1). Starts in about 2–3 s. {@link #start()} listens in plaintext;
 * {@link #startSaslSsl()} only with SASL_SSL (SCRAM-SHA-512 over TLS, a CA made for it).
 */
public final class EmbeddedKafka implements KafkaFixture {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private KafkaRaftServer server;
    private final Properties config;
    private final String bootstrap;
    private final Path dir;
    private final Listener listener;

    private EmbeddedKafka(KafkaRaftServer server, Properties config, String bootstrap, Path dir, Listener listener) {
        this.server = server;
        this.config = config;
        this.bootstrap = bootstrap;
        this.dir = dir;
        this.listener = listener;
    }

    /**
     * How clients reach the broker: the listener's protocol, the broker settings it needs, the
     * {@code kafka-storage format} arguments (SCRAM users), and what a client sets.
     */
    private record Listener(String protocol, Map<String, String> broker, List<String> formatArgs,
                            Map<String, Object> client, Map<String, String> serviceEnv) {
        static Listener plaintext() {
            return new Listener("PLAINTEXT", Map.of(), List.of(), Map.of(), Map.of());
        }

        static Listener saslSsl(Path dir) throws IOException {
            TestCa ca = TestCa.create("impush test Kafka CA");
            Path caPem = ca.writeCertificate(dir.resolve("ca.pem"));
            String storePassword = UUID.randomUUID().toString();
            Path keyStore = ca.serverKeyStore(dir.resolve("broker.p12"), storePassword);
            String adminPassword = UUID.randomUUID().toString();
            Path passwordFile = Files.writeString(dir.resolve("impush.password"), UUID.randomUUID().toString());
            String password = Files.readString(passwordFile);
            Map<String, String> broker = Map.of(
                    "sasl.enabled.mechanisms", SCRAM,
                    "sasl.mechanism.inter.broker.protocol", SCRAM,
                    "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas(ADMIN, adminPassword),
                    "ssl.keystore.type", "PKCS12",
                    "ssl.keystore.location", keyStore.toString(),
                    "ssl.keystore.password", storePassword,
                    "ssl.key.password", storePassword,
                    "ssl.truststore.type", "PEM",
                    "ssl.truststore.location", caPem.toString());
            Map<String, Object> client = Map.of(
                    "security.protocol", "SASL_SSL",
                    "sasl.mechanism", SCRAM,
                    "sasl.jaas.config", jaas(USER, password),
                    "ssl.truststore.type", "PEM",
                    "ssl.truststore.location", caPem.toString());
            Map<String, String> serviceEnv = Map.of(
                    "IMPUSH_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                    "IMPUSH_KAFKA_SASL_MECHANISM", SCRAM,
                    "IMPUSH_KAFKA_SASL_USERNAME", USER,
                    "IMPUSH_KAFKA_SASL_PASSWORD_FILE", passwordFile.toString(),
                    "IMPUSH_KAFKA_SSL_CA_FILE", caPem.toString());
            return new Listener("SASL_SSL", broker, List.of(
                    "--add-scram", SCRAM + "=[name=" + ADMIN + ",password=" + adminPassword + "]",
                    "--add-scram", SCRAM + "=[name=" + USER + ",password=" + password + "]"), client, serviceEnv);
        }

        private static String jaas(String user, String password) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + password + "\";";
        }
    }

    /** The user impush's services log in as on a {@link #startSaslSsl()} broker. */
    public static final String USER = "impush";
    private static final String ADMIN = "broker-admin";
    private static final String SCRAM = "SCRAM-SHA-512";

    public static EmbeddedKafka start() {
        return start(dir -> Listener.plaintext());
    }

    /**
     * A broker that accepts only SASL_SSL: SCRAM-SHA-512 logins ({@value #USER}, with a random
     * password) over TLS with a certificate from a CA made for it. {@link #clientProperties()} and
     * {@link #serviceEnv()} say how to reach it.
     */
    public static EmbeddedKafka startSaslSsl() {
        return start(Listener::saslSsl);
    }

    private interface ListenerFactory {
        Listener create(Path dir) throws IOException;
    }

    private static EmbeddedKafka start(ListenerFactory listenerFactory) {
        try {
            Path dir = Files.createTempDirectory("impush-kafka");
            Listener listener = listenerFactory.create(dir);
            String name = listener.protocol();
            int port = Ports.free();
            int controllerPort = Ports.free();
            Properties p = new Properties();
            p.putAll(listener.broker());
            p.putAll(Map.ofEntries(
                    Map.entry("process.roles", "broker,controller"),
                    Map.entry("node.id", "1"),
                    Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                    Map.entry("listeners", name + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                    Map.entry("advertised.listeners", name + "://127.0.0.1:" + port),
                    Map.entry("controller.listener.names", "CONTROLLER"),
                    Map.entry("inter.broker.listener.name", name),
                    Map.entry("listener.security.protocol.map", name + ":" + name + ",CONTROLLER:PLAINTEXT")));
            p.putAll(BrokerSettings.common(dir.resolve("data"), 1));
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                p.store(out, "impush embedded broker");
            }
            ByteArrayOutputStream formatOut = new ByteArrayOutputStream();
            List<String> format = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(),
                    "-c", config.toString(), "--ignore-formatted"));
            format.addAll(listener.formatArgs());
            int rc = StorageTool.execute(format.toArray(String[]::new), new PrintStream(formatOut, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed: " + formatOut.toString(StandardCharsets.UTF_8));
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + port;
            awaitReady(bootstrap, listener.client(), Duration.ofSeconds(60));
            LOG.info("embedded Kafka broker ready at {} ({})", bootstrap, name);
            return new EmbeddedKafka(server, p, bootstrap, dir, listener);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded Kafka", e);
        }
    }

    private static void awaitReady(String bootstrap, Map<String, Object> client, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> props = new HashMap<>(client);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded Kafka not ready after " + timeout, e);
                    }
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public Map<String, Object> clientProperties() {
        return listener.client();
    }

    @Override
    public Map<String, String> serviceEnv() {
        Map<String, String> env = new HashMap<>(KafkaFixture.super.serviceEnv());
        env.putAll(listener.serviceEnv());
        return env;
    }

    /**
     * Stops the broker and starts it again on the same ports and data: clients see the broker go
     * away for a few seconds, then come back with everything it had.
     */
    public synchronized void restart(java.time.Duration down) throws InterruptedException {
        stop();
        Thread.sleep(down.toMillis());
        startAgain();
    }

    /** Stops the broker (its data stays): clients see it gone until {@link #startAgain()}. */
    public synchronized void stop() {
        server.shutdown();
        server.awaitShutdown();
        LOG.info("embedded Kafka broker at {} stopped", bootstrap);
    }

    /** Starts a stopped broker again on the same ports and data, and waits until it answers. */
    public synchronized void startAgain() {
        server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
        server.startup();
        awaitReady(bootstrap, listener.client(), Duration.ofSeconds(60));
        LOG.info("embedded Kafka broker restarted at {}", bootstrap);
    }

    @Override
    public synchronized void close() {
        server.shutdown();
        server.awaitShutdown();
        deleteRecursively(dir);
    }

    static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}", dir, e);
        }
    }
}
