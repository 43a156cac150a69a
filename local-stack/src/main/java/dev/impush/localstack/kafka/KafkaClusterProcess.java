package dev.impush.localstack.kafka;

import dev.impush.localstack.ChildProcesses;
import dev.impush.localstack.Ports;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replicated Kafka cluster of local KRaft nodes, each its own JVM ({@code kafka.Kafka} on this
 * JVM's class path) with the broker and controller roles: so a node can be killed with SIGKILL, as
 * a machine dies. Topics are replicated as
 * {@code deploy/create-topics.sh} replicates them (factor 3, {@code min.insync.replicas=2}), and so
 * are Kafka's own (offsets, transactions).
 *
 * <p>A killed node is fenced after {@value #SESSION_TIMEOUT_MS} ms without a heartbeat (Kafka's
 * default is 9 s; shorter here so tests fail over quickly), and its partitions get new leaders
 * from the in-sync replicas.
 */
public final class KafkaClusterProcess implements KafkaFixture {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterProcess.class);
    private static final Duration READY = Duration.ofSeconds(90);
    private static final int SESSION_TIMEOUT_MS = 4000;

    /** One node: its id, client port, configuration and log; {@code process} while it runs. */
    private static final class NodeProcess {
        final int id;
        final int port;
        final Path config;
        final Path log;
        Process process;

        NodeProcess(int id, int port, Path config, Path log) {
            this.id = id;
            this.port = port;
            this.config = config;
            this.log = log;
        }
    }

    private final List<NodeProcess> nodes;
    private final Path dir;

    private KafkaClusterProcess(List<NodeProcess> nodes, Path dir) {
        this.nodes = nodes;
        this.dir = dir;
    }

    /** {@code size} nodes (at least 3: a replication factor of 3 with one node down still has a quorum). */
    public static KafkaClusterProcess start(int size) {
        if (size < 3) {
            throw new IllegalArgumentException("a replicated cluster needs 3 nodes or more, not " + size);
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("impush-kafka-cluster");
            Files.writeString(dir.resolve("logback.xml"), """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
                      </appender>
                      <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                      <root level="WARN"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the cluster's directory", e);
        }
        List<Integer> ports = new ArrayList<>();
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(Ports.free());
            controllerPorts.add(Ports.free());
        }
        String voters = java.util.stream.IntStream.range(0, size)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i)).collect(Collectors.joining(","));
        String clusterId = Uuid.randomUuid().toString();
        List<NodeProcess> nodes = new ArrayList<>();
        KafkaClusterProcess cluster = new KafkaClusterProcess(nodes, dir);
        try {
            for (int i = 0; i < size; i++) {
                int id = i + 1;
                Properties p = new Properties();
                p.putAll(BrokerSettings.common(dir.resolve("data-" + id), 3));
                p.putAll(Map.of(
                        "process.roles", "broker,controller",
                        "node.id", Integer.toString(id),
                        "controller.quorum.voters", voters,
                        "listeners", "PLAINTEXT://127.0.0.1:" + ports.get(i) + ",CONTROLLER://127.0.0.1:" + controllerPorts.get(i),
                        "advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.get(i),
                        "controller.listener.names", "CONTROLLER",
                        "inter.broker.listener.name", "PLAINTEXT",
                        "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                        "broker.session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS),
                        "broker.heartbeat.interval.ms", "1000"));
                Path config = dir.resolve("node-" + id + ".properties");
                try (OutputStream out = Files.newOutputStream(config)) {
                    p.store(out, "impush cluster node " + id);
                }
                format(clusterId, config);
                nodes.add(new NodeProcess(id, ports.get(i), config, dir.resolve("node-" + id + ".log")));
            }
            for (NodeProcess n : nodes) {
                cluster.launch(n);
            }
            cluster.awaitBrokers(size);
            LOG.info("Kafka cluster ready: {} nodes at {}", size, cluster.bootstrapServers());
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private static void format(String clusterId, Path config) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString(), "--ignore-formatted"},
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("kafka storage format failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }

    private void launch(NodeProcess node) throws IOException {
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
                "-cp", System.getProperty("java.class.path"),
                "kafka.Kafka", node.config.toString());
        node.process = ChildProcesses.reaped(new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile())).start());
    }

    /** Until the cluster lists {@code count} live brokers. */
    private void awaitBrokers(int count) {
        long deadline = System.nanoTime() + READY.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= count) {
                        return;
                    }
                } catch (Exception e) {
                    LOG.debug("cluster not ready yet", e);
                }
                for (NodeProcess n : nodes) {
                    if (n.process != null && !n.process.isAlive()) {
                        throw new IllegalStateException("Kafka node " + n.id + " exited at start; its log: " + n.log);
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka cluster without " + count + " live brokers after " + READY
                            + "; logs in " + dir);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000));
    }

    /** Every node, as a client's bootstrap list. */
    @Override
    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    @Override
    public int brokers() {
        return nodes.size();
    }

    /** How many partitions of {@code topic} each node leads (node id → count). */
    public Map<Integer, Long> leadership(String topic) {
        try (Admin admin = admin()) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                    .partitions().stream().filter(p -> p.leader() != null)
                    .collect(Collectors.groupingBy(p -> p.leader().id(), HashMap::new, Collectors.counting()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topic, e);
        }
    }

    /** SIGKILL to node {@code id}: no clean shutdown, no leadership handed over; its data stays. */
    public void kill(int id) throws InterruptedException {
        NodeProcess n = node(id);
        n.process.destroyForcibly();
        n.process.waitFor();
        LOG.info("Kafka node {} killed (SIGKILL)", id);
    }

    private NodeProcess node(int id) {
        return nodes.stream().filter(n -> n.id == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Kafka node " + id));
    }

    @Override
    public void close() {
        for (NodeProcess n : nodes) {
            if (n.process != null) {
                n.process.destroy();
            }
        }
        for (NodeProcess n : nodes) {
            try {
                if (n.process != null && !n.process.waitFor(10, TimeUnit.SECONDS)) {
                    n.process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        EmbeddedKafka.deleteRecursively(dir);
    }
}
