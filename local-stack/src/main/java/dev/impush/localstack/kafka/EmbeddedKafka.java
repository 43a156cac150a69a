package dev.impush.localstack.kafka;

import dev.impush.localstack.Ports;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
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
 * at replication 1). Starts in about 2–3 s.
 */
public final class EmbeddedKafka implements KafkaFixture {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private KafkaRaftServer server;
    private final Properties config;
    private final String bootstrap;
    private final Path dir;

    private EmbeddedKafka(KafkaRaftServer server, Properties config, String bootstrap, Path dir) {
        this.server = server;
        this.config = config;
        this.bootstrap = bootstrap;
        this.dir = dir;
    }

    public static EmbeddedKafka start() {
        try {
            Path dir = Files.createTempDirectory("impush-kafka");
            int port = Ports.free();
            int controllerPort = Ports.free();
            Properties p = new Properties();
            p.putAll(Map.ofEntries(
                    Map.entry("process.roles", "broker,controller"),
                    Map.entry("node.id", "1"),
                    Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                    Map.entry("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort),
                    Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port),
                    Map.entry("controller.listener.names", "CONTROLLER"),
                    Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                    Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                    Map.entry("log.dirs", dir.resolve("data").toString()),
                    Map.entry("num.partitions", "4"),
                    Map.entry("auto.create.topics.enable", "false"),
                    Map.entry("offsets.topic.replication.factor", "1"),
                    Map.entry("offsets.topic.num.partitions", "4"),
                    Map.entry("transaction.state.log.replication.factor", "1"),
                    Map.entry("transaction.state.log.min.isr", "1"),
                    Map.entry("transaction.state.log.num.partitions", "4"),
                    Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                    Map.entry("share.coordinator.state.topic.min.isr", "1"),
                    Map.entry("group.initial.rebalance.delay.ms", "0"),
                    // sized for the small machines it runs on (defaults: 8 request handlers, 3 network
                    // threads per listener), sharing their cores with the clients under test
                    Map.entry("num.io.threads", "2"),
                    Map.entry("num.network.threads", "1"),
                    Map.entry("log.flush.interval.messages", Long.toString(Long.MAX_VALUE)),
                    Map.entry("log.segment.bytes", Integer.toString(64 * 1024 * 1024)),
                    // hostile-input tests produce 10 MB records, as a misbehaving client could
                    Map.entry("message.max.bytes", Integer.toString(16 * 1024 * 1024)),
                    Map.entry("replica.fetch.max.bytes", Integer.toString(16 * 1024 * 1024))));
            Path config = dir.resolve("server.properties");
            try (OutputStream out = Files.newOutputStream(config)) {
                p.store(out, "impush embedded broker");
            }
            ByteArrayOutputStream formatOut = new ByteArrayOutputStream();
            int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
                    "-c", config.toString(), "--ignore-formatted"}, new PrintStream(formatOut, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed: " + formatOut.toString(StandardCharsets.UTF_8));
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + port;
            awaitReady(bootstrap, Duration.ofSeconds(60));
            LOG.info("embedded Kafka broker ready at {}", bootstrap);
            return new EmbeddedKafka(server, p, bootstrap, dir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start embedded Kafka", e);
        }
    }

    private static void awaitReady(String bootstrap, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
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
        awaitReady(bootstrap, java.time.Duration.ofSeconds(60));
        LOG.info("embedded Kafka broker restarted at {}", bootstrap);
    }

    @Override
    public synchronized void close() {
        server.shutdown();
        server.awaitShutdown();
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot delete {}", dir, e);
        }
    }
}
