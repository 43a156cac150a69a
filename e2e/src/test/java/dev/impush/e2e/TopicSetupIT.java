package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.DetectorConfig;
import dev.impush.detector.OfflineDetector;
import dev.impush.localstack.kafka.EmbeddedKafka;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.runtime.ConfigException;
import dev.impush.runtime.Env;
import dev.impush.runtime.kafka.KafkaConnection;
import dev.impush.runtime.kafka.TopicCheck;
import dev.impush.worker.PushWorker;
import dev.impush.worker.WorkerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code deploy/create-topics.sh}, run as an SRE runs it (with Kafka's own {@code kafka-topics}),
 * against a real broker: it creates every topic the worker and the detector check for at start,
 * with the partitions and settings asked for, and a second run changes nothing; events and
 * feedback with different partition counts fail the script and stop the detector at start.
 */
@Timeout(300)
class TopicSetupIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static EmbeddedKafka kafka;
    private static Path kafkaTopics;

    @BeforeAll
    static void start() throws IOException {
        kafka = EmbeddedKafka.start();
        // kafka-topics from the kafka-tools jar on this test's classpath, as the script calls it
        Path dir = Files.createTempDirectory("impush-kafka-topics");
        kafkaTopics = Files.writeString(dir.resolve("kafka-topics.sh"), "#!/bin/sh\nexec '"
                + Path.of(System.getProperty("java.home"), "bin", "java") + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
                + " -Dlog4j2.level=WARN -cp '" + System.getProperty("java.class.path")
                + "' org.apache.kafka.tools.TopicCommand \"$@\"\n");
        Files.setPosixFilePermissions(kafkaTopics, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void createsEveryTopicTheServicesCheckFor_withTheSettingsAsked_andASecondRunChangesNothing() throws Exception {
        Map<String, String> env = Map.of("PARTITIONS", "2", "USER_PARTITIONS", "3", "REPLICATION_FACTOR", "1",
                "IMPUSH_RETRY_TIERS", "10s,1m");

        Run first = createTopics(env);
        assertEquals(0, first.exit(), first.output());
        Env services = Env.of(Map.of(KafkaConnection.BOOTSTRAP, kafka.bootstrapServers(), "IMPUSH_RETRY_TIERS", "10s,1m"));
        WorkerConfig worker = WorkerConfig.fromEnv(services);
        TopicCheck.Cluster cluster = TopicCheck.requireTopics(worker.kafka(),
                PushWorker.requiredTopics(worker, EnumSet.allOf(Channel.class)), TIMEOUT, "the script");
        assertEquals(2, cluster.partitions().get(Topics.JOBS));
        assertEquals(2, cluster.partitions().get("push.retry.1m"));
        assertEquals(2, cluster.partitions().get("push.park.meizu"));
        DetectorConfig detector = OfflineDetector.checkTopics(DetectorConfig.fromEnv(services)).config();
        assertEquals(1, detector.replicationFactor(), "capped at the one broker there is");
        try (Admin admin = Admin.create(kafka.clientProperties(Map.of()))) {
            Map<String, Integer> userTopics = new HashMap<>();
            admin.describeTopics(List.of(Topics.EVENTS, Topics.FEEDBACK)).allTopicNames().get()
                    .forEach((name, d) -> userTopics.put(name, d.partitions().size()));
            assertEquals(Map.of(Topics.EVENTS, 3, Topics.FEEDBACK, 3), userTopics);
            assertEquals("compact", config(admin, Topics.GATEWAYS).get("cleanup.policy").value());
            assertEquals("LogAppendTime", config(admin, Topics.GATEWAYS).get("message.timestamp.type").value());
            assertEquals("CreateTime", config(admin, Topics.EVENTS).get("message.timestamp.type").value());
            assertEquals("1209600000", config(admin, Topics.DLQ).get("retention.ms").value());
        }

        Run second = createTopics(env);
        assertEquals(0, second.exit(), second.output());
        // the script's own complaints (kafka-topics itself warns about every name with a '.')
        assertTrue(!second.output().contains("create-topics: WARNING") && !second.output().contains("create-topics: ERROR"),
                second.output());
    }

    @Test
    void eventsAndFeedbackNotCoPartitioned_failTheScript_andStopTheDetector() throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties(Map.of()))) {
            admin.createTopics(List.of(new NewTopic("mis.feedback", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, String> env = new HashMap<>(Map.of("PARTITIONS", "2", "USER_PARTITIONS", "3",
                "REPLICATION_FACTOR", "1", "IMPUSH_TOPIC_EVENTS", "mis.events", "IMPUSH_TOPIC_FEEDBACK", "mis.feedback"));

        Run run = createTopics(env);
        assertEquals(1, run.exit(), run.output());
        assertTrue(run.output().contains("must have the same partition count"), run.output());
        env.put(KafkaConnection.BOOTSTRAP, kafka.bootstrapServers());
        ConfigException e = assertThrows(ConfigException.class,
                () -> OfflineDetector.checkTopics(DetectorConfig.fromEnv(Env.of(env))));
        assertTrue(e.getMessage().contains("mis.events has 3 partitions and mis.feedback 1"), e.getMessage());
    }

    private record Run(int exit, String output) {}

    private static Run createTopics(Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", Path.of("..", "deploy", "create-topics.sh").toString())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        pb.environment().put("KAFKA_TOPICS", kafkaTopics.toString());
        long t0 = System.nanoTime();
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "create-topics.sh did not finish");
        System.out.printf("create-topics.sh: exit %d in %.1f s%n", p.exitValue(), (System.nanoTime() - t0) / 1e9);
        return new Run(p.exitValue(), output);
    }

    private static Config config(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
    }
}
