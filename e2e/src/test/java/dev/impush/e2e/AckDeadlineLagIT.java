package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.impush.detector.DetectorMetrics;
import dev.impush.localstack.kafka.EmbeddedKafka;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Ack deadlines survive what makes the detector read late: a broker stopped for 8 s and a detector
 * process stopped (SIGSTOP) for longer than the ack timeout. Online devices are routed a message; half
 * of them ack it in time, while the broker or the detector is away; the other half never ack. The
 * detector must push exactly the second half, and soon. Ack timeout 5 s (the pipeline's), grace 2 s
 * and punctuation 1 s (the defaults), ack tracking {@code routed} (the default). Zombie pushes are
 * counted as jobs on {@code push.jobs} (read committed, {@link JobWatch}): the detector's decision,
 * before any worker.
 */
@Timeout(300)
class AckDeadlineLagIT {
    private static final int USERS = 20;
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final Duration ACK_TIMEOUT = dev.impush.e2e.LocalPipeline.ACK_TIMEOUT;
    /**
     * What the README promises beyond the ack timeout: the grace (2 s), up to a punctuation interval
     * (1 s) for the evidence and one for the scan, the commit (0.1 s); plus slack for a loaded machine.
     */
    private static final Duration BOUND = Duration.ofSeconds(5);

    /** One online iOS device per user. */
    private static Population population(String prefix) {
        return new Population(IntStream.range(0, USERS).mapToObj(i -> new Population.Device(prefix + "-u" + i,
                prefix + "-d" + i, Channel.APNS, "%064x".formatted(i), "com.example.chat", true, true)).toList());
    }

    /** Users whose device acks (even), and those whose device never does (odd, a zombie connection). */
    private static boolean acks(int user) {
        return user % 2 == 0;
    }

    private static Set<String> messagesOf(String prefix, boolean acking) {
        return IntStream.range(0, USERS).filter(u -> acks(u) == acking).mapToObj(u -> prefix + "-m" + u)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every user gets a message, routed to their device now (producer time): returns when the broker has them. */
    private static Instant messageAndRoute(ImTraffic traffic, String prefix) {
        Instant at = Instant.now();
        for (int u = 0; u < USERS; u++) {
            traffic.message(prefix + "-u" + u, prefix + "-m" + u, "hi", at);
            traffic.routed(prefix + "-u" + u, prefix + "-m" + u, prefix + "-d" + u, at);
        }
        traffic.flush();
        return at;
    }

    /** The acking half's gateways produce their acks, stamped {@code at}. */
    private static void ackHalf(ImTraffic traffic, String prefix, Instant at) {
        for (int u = 0; u < USERS; u++) {
            if (acks(u)) {
                traffic.acked(prefix + "-u" + u, prefix + "-m" + u, prefix + "-d" + u, at);
            }
        }
    }

    private static void report(String scenario, Set<String> pushed, Set<String> acking, Set<String> silent) {
        long wrong = pushed.stream().filter(acking::contains).count();
        long missing = silent.stream().filter(m -> !pushed.contains(m)).count();
        System.out.printf("ack deadlines, %s: %d acked in time -> %d pushed (must be 0); %d never acked -> %d pushed%n",
                scenario, acking.size(), wrong, silent.size(), silent.size() - missing);
    }

    /**
     * The broker stops for 8 s just after the routeds were read; the acking half's gateways ack
     * meanwhile, in time, and hold the acks until they reach the broker again, 1 s after it is back
     * (a Kafka client backs off up to 1 s between connection attempts). Another gateway's records,
     * stamped late in the outage, reach the broker first: read before the acks, they must not make
     * the deadlines look passed.
     */
    @Test
    void brokerStoppedForEightSeconds_acksSentMeanwhile_noZombiePush() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
             ImTraffic traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
             ImTraffic otherGateway = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
             JobWatch zombies = new JobWatch(pipeline.bootstrapServers())) {
            assumeTrue(pipeline.stack().kafka() instanceof EmbeddedKafka, "needs the stoppable embedded broker");
            EmbeddedKafka broker = (EmbeddedKafka) pipeline.stack().kafka();
            String p = "bk";
            traffic.connect(population(p), "gw-bk", Instant.now());
            otherGateway.connect(population("other"), "gw-other", Instant.now());
            Await.until(Duration.ofSeconds(30), () -> pipeline.count(DetectorMetrics.EVENTS, "type", "presence") >= 2 * USERS,
                    () -> "the detector did not read the presence events");

            Instant routedAt = messageAndRoute(traffic, p);
            Await.until(Duration.ofSeconds(30), () -> pipeline.count(DetectorMetrics.EVENTS, "type", "routed") >= USERS,
                    () -> "the detector did not read the routed events");
            broker.stop();
            Instant stoppedAt = Instant.now();
            Instant ackedAt = Instant.now(); // the acking half acks now, in time
            Duration ackedAfter = Duration.between(routedAt, ackedAt);
            assertTrue(ackedAfter.compareTo(ACK_TIMEOUT) < 0, "acked " + ackedAfter + " after the routed: in time");
            // another gateway's traffic late in the outage, past the deadlines plus the grace; its send()
            // waits for the broker (a single broker's shutdown takes the topic out of the producer's metadata)
            Instant lateInTheOutage = stoppedAt.plus(OUTAGE).minusMillis(500);
            Thread other = Thread.ofVirtual().start(() -> {
                for (int u = 0; u < USERS; u++) {
                    otherGateway.routed("other-u" + u, "other-m" + u, "other-d" + u, lateInTheOutage);
                }
                otherGateway.flush();
            });
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - Duration.between(stoppedAt, Instant.now()).toMillis()));
            broker.startAgain();
            long back = System.currentTimeMillis();
            other.join(Duration.ofSeconds(90));
            Thread.sleep(1_000); // the acking gateways reconnect
            ackHalf(traffic, p, ackedAt);
            traffic.flush();

            Set<String> silent = messagesOf(p, false);
            Set<String> acking = messagesOf(p, true);
            Await.until(Duration.ofSeconds(60), () -> zombies.zombies().containsAll(silent),
                    () -> "zombie pushes " + zombies.zombies() + ", expected " + silent);
            Thread.sleep(ACK_TIMEOUT.plus(BOUND).toMillis()); // time for a wrong push to show up
            report("broker stopped " + OUTAGE.toSeconds() + " s (acks made " + ackedAfter.toMillis()
                    + " ms after routed, delivered 1 s after the broker was back)", zombies.zombies(), acking, silent);
            System.out.printf("  never-acked devices pushed %d-%d ms after the broker was back%n",
                    silent.stream().mapToLong(m -> zombies.zombieSeenAt(m) - back).min().orElse(-1),
                    silent.stream().mapToLong(m -> zombies.zombieSeenAt(m) - back).max().orElse(-1));
            assertEquals(silent, zombies.zombies(), "pushed exactly the devices that never acked");
        }
    }

    @Test
    void detectorProcessStoppedLongerThanTheAckTimeout_acksSentMeanwhile_noZombiePush() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withoutDetector());
             ImTraffic traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
             JobWatch zombies = new JobWatch(pipeline.bootstrapServers());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.bootstrapServers()))) {
            String p = "st";
            traffic.connect(population(p), "gw-st", Instant.now());
            DetectorProcess detector = pipeline.startDetectorProcess("sigstop", Map.of());
            JobWatch.awaitCaughtUp(admin, "impush-offline-detector", Duration.ofSeconds(90));

            Instant routedAt = messageAndRoute(traffic, p);
            JobWatch.awaitCaughtUp(admin, "impush-offline-detector", Duration.ofSeconds(30));
            // let the detector's fetch that is waiting at the broker come back empty, so that on
            // resuming it must fetch the acks anew: what a stalled consumer meets
            Thread.sleep(1_000);
            detector.pause();
            long pausedAt = System.currentTimeMillis();
            Instant ackedAt = Instant.now();
            ackHalf(traffic, p, ackedAt);
            traffic.flush();
            Duration ackedAfter = Duration.between(routedAt, ackedAt);
            assertTrue(ackedAfter.compareTo(ACK_TIMEOUT) < 0, "acked " + ackedAfter + " after the routed: in time");
            Thread.sleep(Math.max(0, OUTAGE.toMillis() - (System.currentTimeMillis() - pausedAt)));
            detector.resume();
            assertTrue(detector.isAlive(), detector.toString());

            Set<String> silent = messagesOf(p, false);
            Set<String> acking = messagesOf(p, true);
            Await.until(Duration.ofSeconds(60), () -> zombies.zombies().containsAll(silent),
                    () -> "zombie pushes " + zombies.zombies() + ", expected " + silent + "; " + detector);
            JobWatch.awaitCaughtUp(admin, "impush-offline-detector", Duration.ofSeconds(30));
            Thread.sleep(BOUND.toMillis());
            report("detector stopped (SIGSTOP) " + OUTAGE.toSeconds() + " s (acks " + ackedAfter.toMillis()
                    + " ms after routed)", zombies.zombies(), acking, silent);
            assertEquals(silent, zombies.zombies(), "pushed exactly the devices that never acked; " + detector);
        }
    }

    @Test
    void deviceThatNeverAcks_isPushedWithinTheAckTimeoutPlusABound() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults());
             ImTraffic traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
             JobWatch zombies = new JobWatch(pipeline.bootstrapServers())) {
            String p = "nv";
            traffic.connect(population(p), "gw-nv", Instant.now());
            Await.until(Duration.ofSeconds(30), () -> pipeline.count(DetectorMetrics.EVENTS, "type", "presence") >= USERS,
                    () -> "the detector did not read the presence events");
            Instant routedAt = messageAndRoute(traffic, p);
            ackHalf(traffic, p, Instant.now());
            traffic.flush();

            Set<String> silent = messagesOf(p, false);
            Await.until(ACK_TIMEOUT.plus(BOUND).plusSeconds(10), () -> zombies.zombies().containsAll(silent),
                    () -> "zombie pushes " + zombies.zombies() + ", expected " + silent);
            Thread.sleep(2_000);
            List<Long> after = silent.stream().map(m -> zombies.zombieSeenAt(m) - routedAt.toEpochMilli()).sorted().toList();
            System.out.printf("ack deadlines, quiet partitions: never-acked devices pushed %d-%d ms after routed "
                    + "(ack timeout %d ms, bound %d ms)%n", after.getFirst(), after.getLast(), ACK_TIMEOUT.toMillis(),
                    ACK_TIMEOUT.plus(BOUND).toMillis());
            assertEquals(silent, zombies.zombies());
            assertTrue(after.getLast() <= ACK_TIMEOUT.plus(BOUND).toMillis(), "pushed " + after + " ms after routed");
            assertTrue(after.getFirst() >= ACK_TIMEOUT.toMillis(), "not before the ack timeout: " + after);
        }
    }
}
