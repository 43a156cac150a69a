package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.kafka.KafkaClusterProcess;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Topics;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.job.PushJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pipeline on a replicated Kafka cluster: three KRaft nodes in their own JVMs, every topic
 * replicated 3 times with {@code min.insync.replicas=2} (as {@code deploy/create-topics.sh} makes
 * them). IM traffic flows through the detector (exactly-once) and two workers while the node that
 * leads the most {@code push.jobs} partitions is killed with SIGKILL; counted at the mock vendors
 * and in the committed job log.
 */
@Timeout(300)
class MultiBrokerFailoverIT {
    private static final int USERS = 200;
    private static final int WAVES = 24;

    /** One message per user and wave: {@code m<wave>-<user>}. */
    private static String messageId(int wave, String user) {
        return "m" + wave + "-" + user;
    }

    @Test
    void theJobLeaderKilledUnderLoad_losesNothingAndDoublesNothing() throws Exception {
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.defaults().withKafkaCluster());
             ImTraffic traffic = new ImTraffic(pipeline.stack().kafka(), Topics.EVENTS, Topics.GATEWAYS);
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            KafkaClusterProcess kafka = (KafkaClusterProcess) pipeline.stack().kafka();
            Population population = Population.generate(USERS, 0.6, 0.5, 0.0, 17);
            List<Population.Device> offline = population.devices().stream().filter(d -> !d.online()).toList();
            List<Population.Device> online = population.devices().stream().filter(Population.Device::online).toList();
            Instant registeredAt = Instant.now().minusSeconds(60);
            pipeline.registerAtVendors(population, registeredAt);
            traffic.connect(population, "gw-mb", registeredAt);
            pipeline.startWorker("mb-worker-1");
            pipeline.startWorker("mb-worker-2");

            // waves of messages, one per user, every 300 ms: the traffic goes on through the kill
            AtomicInteger waves = new AtomicInteger();
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                for (int wave = 0; wave < WAVES; wave++) {
                    for (String u : population.userIds()) {
                        traffic.message(population, u, messageId(wave, u), "hi " + u, Instant.now());
                    }
                    traffic.flush();
                    waves.incrementAndGet();
                    sleep(300);
                }
            });
            long pairs = (long) offline.size() * WAVES;
            Await.until(Duration.ofSeconds(90), () -> waves.get() >= WAVES / 3 && shownOnce(pipeline, offline) > 0,
                    () -> "slow start: " + waves.get() + " waves sent, " + shownOnce(pipeline, offline) + " pairs shown");

            Map<Integer, Long> leaders = kafka.leadership(Topics.JOBS);
            int victim = leaders.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            kafka.kill(victim);
            long killedAt = System.nanoTime();
            int wavesAtKill = waves.get();
            Await.until(Duration.ofSeconds(30), () -> !kafka.leadership(Topics.JOBS).containsKey(victim),
                    () -> "node " + victim + " still leads job partitions: " + kafka.leadership(Topics.JOBS));
            long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            producing.get(120, TimeUnit.SECONDS);
            assertTrue(wavesAtKill < WAVES, "the node died while traffic flowed: after " + wavesAtKill + " waves");

            Await.until(Duration.ofSeconds(150), () -> shownOnce(pipeline, offline) == pairs,
                    () -> (pairs - shownOnce(pipeline, offline)) + " of " + pairs + " (message, device) pairs not shown once");
            Thread.sleep(1000); // a second notification or a push to an online device would have arrived by now

            long shownTwice = 0;
            long resends = 0;
            for (Population.Device d : offline) {
                for (int wave = 0; wave < WAVES; wave++) {
                    String m = messageId(wave, d.userId());
                    shownTwice += pipeline.ledger(d.channel()).shown(m, d.deviceId()) > 1 ? 1 : 0;
                    resends += Math.max(0, pipeline.ledger(d.channel()).requests(m, d.deviceId()) - 1);
                }
            }
            long pushedOnline = online.stream().mapToLong(d -> java.util.stream.IntStream.range(0, WAVES)
                    .map(w -> pipeline.ledger(d.channel()).requests(messageId(w, d.userId()), d.deviceId())).sum()).sum();
            Map<String, Long> committedJobs = jobIds(pipeline, "read_committed");
            long written = jobIds(pipeline, "read_uncommitted").values().stream().mapToLong(Long::longValue).sum();
            long doubledJobs = committedJobs.values().stream().filter(n -> n > 1).count();
            long usersWithOffline = offline.stream().map(Population.Device::userId).distinct().count();
            System.out.printf("[kafka node %d killed after %d of %d waves, leading %d of %d job partitions, new leaders in %d ms] pairs %d, shown once %d,"
                    + " shown twice %d, vendor re-sends %d, online pushed %d, committed jobs %d (doubled %d; %d written, aborted ones included),"
                    + " dead-lettered %d%n", victim, wavesAtKill, WAVES, leaders.get(victim), leaders.values().stream().mapToLong(Long::longValue).sum(), failoverMs,
                    pairs, shownOnce(pipeline, offline), shownTwice, resends, pushedOnline, committedJobs.size(),
                    doubledJobs, written, dlq.poll().total());
            assertEquals(0, shownTwice, "no notification shown twice");
            assertEquals(0, pushedOnline, "no device pushed while its long connection showed the message");
            assertEquals(0, doubledJobs, "the detector's exactly-once: each job committed once");
            assertEquals(usersWithOffline * WAVES, committedJobs.size(), "one job per message with an offline device");
            assertEquals(0, dlq.total(), "nothing dead-lettered: " + dlq.byReason());
        }
    }

    private static long shownOnce(LocalPipeline pipeline, List<Population.Device> offline) {
        long n = 0;
        for (Population.Device d : offline) {
            for (int wave = 0; wave < WAVES; wave++) {
                n += pipeline.ledger(d.channel()).shown(messageId(wave, d.userId()), d.deviceId()) == 1 ? 1 : 0;
            }
        }
        return n;
    }

    /** Job id → how many times {@code push.jobs} holds it, read from the start with {@code isolation}. */
    private static Map<String, Long> jobIds(LocalPipeline pipeline, String isolation) {
        ContractCodec<PushJob> codec = ContractCodec.jobs(ContractCodec.DEFAULT_MAX_BYTES);
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(pipeline.stack().kafka().clientProperties(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                assertTrue(System.nanoTime() < deadline, "the job log read to its end within 60 s");
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (codec.decode(r.value()) instanceof Decoded.Ok<PushJob> ok) {
                        ids.add(ok.value().jobId());
                    }
                }
            }
        }
        return ids.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
