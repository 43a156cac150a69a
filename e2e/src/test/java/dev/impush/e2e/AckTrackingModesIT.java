package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.detector.DetectorConfig;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each {@code IMPUSH_DETECTOR_ACK_TRACKING} mode on a real broker, with the detector in its own JVM as
 * deployed: what the README's ack contract promises for four devices of four users.
 * <ul>
 *   <li>{@code acked}: online, routed and acked: never pushed;</li>
 *   <li>{@code silent}: online, routed, never acked (a zombie connection): pushed under {@code routed}
 *       and {@code message}, not under {@code off};</li>
 *   <li>{@code unrouted}: online, never routed nor acked: pushed only under {@code message} (a platform
 *       that sends no {@code routed} gets no zombie pushes under the default);</li>
 *   <li>{@code offline}: no live connection: pushed at once under every mode.</li>
 * </ul>
 * The decisions are read on {@code push.jobs} ({@link JobWatch}); each mode's detector has its own
 * application id and reads only its own users' outcome. Ack timeout 5 s.
 */
@Timeout(300)
class AckTrackingModesIT {
    /** Beyond the ack timeout: the grace (2 s), punctuation and commit, and slack for a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(6);
    private static LocalPipeline pipeline;
    private static JobWatch jobs;

    @BeforeAll
    static void start() throws Exception {
        pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
        jobs = new JobWatch(pipeline.bootstrapServers());
    }

    @AfterAll
    static void stop() throws Exception {
        jobs.close();
        pipeline.close();
    }

    @ParameterizedTest(name = "ack tracking {0}")
    @CsvSource({
            "routed,  silent,          offline",
            "message, silent unrouted, offline",
            "off,     '',              offline"})
    void eachMode_pushesWhatTheAckContractSays(String mode, String zombies, String offline) throws Exception {
        String group = "impush-ack-" + mode;
        try (ImTraffic traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()));
             DetectorProcess detector = pipeline.startDetectorProcess(mode, Map.of(
                     DetectorConfig.ACK_TRACKING, mode, DetectorConfig.APP_ID, group))) {
            List<String> cases = List.of("acked", "silent", "unrouted", "offline");
            traffic.connect(new Population(cases.stream().map(c -> new Population.Device(user(mode, c),
                    mode + "-" + c + "-d", Channel.APNS, "%064x".formatted(cases.indexOf(c)), "com.example.chat",
                    !c.equals("offline"), true)).toList()), "gw-" + mode, Instant.now());
            JobWatch.awaitCaughtUp(admin, group, Duration.ofSeconds(90));

            Instant at = Instant.now();
            cases.forEach(c -> traffic.message(user(mode, c), message(mode, c), "hi", at));
            traffic.routed(user(mode, "acked"), message(mode, "acked"), mode + "-acked-d", at);
            traffic.acked(user(mode, "acked"), message(mode, "acked"), mode + "-acked-d", at.plusMillis(200));
            traffic.routed(user(mode, "silent"), message(mode, "silent"), mode + "-silent-d", at);
            traffic.flush();
            Thread.sleep(LocalPipeline.ACK_TIMEOUT.plus(BOUND).toMillis());

            assertEquals(messages(mode, zombies), ofMode(jobs.zombies(), mode), "zombie pushes under " + mode);
            assertEquals(messages(mode, offline), ofMode(jobs.offline(), mode), "offline pushes under " + mode);
            System.out.printf("ack tracking %s: zombie pushes %s, offline pushes %s%n", mode,
                    ofMode(jobs.zombies(), mode), ofMode(jobs.offline(), mode));
            assertTrue(detector.isAlive(), detector.toString());
        }
    }

    private static String user(String mode, String c) {
        return mode + "-" + c + "-u";
    }

    private static String message(String mode, String c) {
        return mode + "-" + c + "-m";
    }

    private static Set<String> messages(String mode, String cases) {
        Set<String> out = new TreeSet<>();
        for (String c : cases.trim().split("\\s+")) {
            if (!c.isEmpty()) {
                out.add(message(mode, c));
            }
        }
        return out;
    }

    private static Set<String> ofMode(Set<String> messageIds, String mode) {
        Set<String> out = new TreeSet<>();
        messageIds.stream().filter(m -> m.startsWith(mode + "-")).forEach(out::add);
        return out;
    }
}
