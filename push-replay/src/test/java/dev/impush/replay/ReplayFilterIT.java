package dev.impush.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.impush.localstack.LocalStack;
import dev.impush.model.Channel;
import dev.impush.model.Priority;
import dev.impush.model.Topics;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.deadletter.DeadLetter;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.Notification;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replays with different filters on a real broker and Redis: a filtered {@code --execute} must not
 * hide the letters its filter skipped from a later run with another filter, and a dry run must name
 * exactly what the same {@code --execute} would send. And a replay goes only into the jobs topic or
 * a retry tier unless forced.
 */
@Timeout(120)
class ReplayFilterIT {
    private static final int PER_CHANNEL_AND_PARTITION = 3;
    /** The target test's own dead-letter topic and a topic that is neither jobs nor a tier. */
    private static final String OTHER_DLQ = "replay.test.dlq";
    private static final String ELSEWHERE = "replay.test.elsewhere";
    private static LocalStack stack;

    @BeforeAll
    static void start() {
        stack = LocalStack.start().withDefaultTopics(2, List.of(OTHER_DLQ, ELSEWHERE));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void executeWithOneChannel_leavesTheOtherChannelsLettersForALaterRun_andDryRunsAgreeWithExecute() throws Exception {
        // On each partition fcm and apns letters alternate and an apns letter comes last, so a run
        // that only remembered a position would move past every fcm letter.
        List<DeadLetter> fcm = new ArrayList<>();
        List<DeadLetter> apns = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < PER_CHANNEL_AND_PARTITION; i++) {
                    fcm.add(send(producer, p, letter("f" + p + i, Channel.FCM)));
                    apns.add(send(producer, p, letter("a" + p + i, Channel.APNS)));
                }
            }
        }
        int n = fcm.size();

        assertTrue(run("--channel", "apns").contains("would replay " + n + " jobs"));
        String apnsRun = run("--channel", "apns", "--execute");
        assertTrue(apnsRun.contains("replayed " + n + " jobs"), apnsRun);
        assertEquals(sorted(messageIds(apns)), sorted(replayedMessageIds()), "the apns run sends the apns letters only");

        String fcmDry = run("--channel", "fcm");
        assertTrue(fcmDry.contains("would replay " + n + " jobs"), fcmDry);
        String fcmRun = run("--channel", "fcm", "--execute");
        assertTrue(fcmRun.contains("replayed " + n + " jobs"),
                "the apns run must not move a later fcm run past the fcm letters: " + fcmRun);
        List<String> both = new ArrayList<>(messageIds(apns));
        both.addAll(messageIds(fcm));
        assertEquals(sorted(both), sorted(replayedMessageIds()), "every letter replayed, each once");

        String dry = run();
        String exec = run("--execute");
        assertTrue(dry.contains("would replay 0 jobs") && dry.contains("skipped " + 2 * n + ": already replayed"),
                "the dry run agrees with execute: " + dry);
        assertTrue(exec.contains("replayed 0 jobs"), exec);

        DeadLetter late;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            late = send(producer, 1, letter("late", Channel.FCM));
        }
        String lateDry = run();
        assertTrue(lateDry.contains("would replay 1 jobs"), lateDry);
        String lateRun = run("--execute");
        assertTrue(lateRun.contains("replayed 1 jobs"), lateRun);
        both.add(late.job().messageId());
        assertEquals(sorted(both), sorted(replayedMessageIds()), "the new letter replayed once, nothing else again");
    }

    @Test
    void targetOtherThanJobsOrATier_isRefused_unlessForced() throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(OTHER_DLQ, 0, "u-t".getBytes(),
                    ContractCodec.deadLetters().encode(letter("t", Channel.FCM)))).get();
        }
        Cli refused = cli("--dlq-topic", OTHER_DLQ, "--execute", "--target", ELSEWHERE);
        assertEquals(2, refused.rc(), refused.toString());
        assertTrue(refused.err().contains("refusing to replay into '" + ELSEWHERE + "'")
                && refused.err().contains("--force"), refused.err());
        assertEquals(0, records(ELSEWHERE), "a refused run sends nothing");

        Cli tier = cli("--dlq-topic", OTHER_DLQ, "--target", Topics.DEFAULT_RETRY_TOPICS.get(1));
        assertEquals(0, tier.rc(), tier.toString());
        assertTrue(tier.out().contains("would replay 1 jobs"), tier.out());

        Cli forced = cli("--dlq-topic", OTHER_DLQ, "--execute", "--target", ELSEWHERE, "--force");
        assertEquals(0, forced.rc(), forced.toString());
        assertTrue(forced.out().contains("replayed 1 jobs") && forced.err().contains("--force: replaying into"),
                forced.toString());
        assertEquals(1, records(ELSEWHERE));
    }

    private record Cli(int rc, String out, String err) {}

    private static Cli cli(String... filterAndFlags) {
        List<String> args = new ArrayList<>(List.of("run", "--bootstrap", stack.bootstrapServers(),
                "--redis", stack.redisUri(), "--rate", "1000"));
        args.addAll(List.of(filterAndFlags));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = ReplayCommand.run(Clock.systemUTC(), new PrintWriter(out, true), new PrintWriter(err, true),
                args.toArray(String[]::new));
        return new Cli(rc, out.toString(), err.toString());
    }

    private static String run(String... filterAndFlags) {
        Cli cli = cli(filterAndFlags);
        assertEquals(0, cli.rc(), cli.toString());
        return cli.out();
    }

    private static long records(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static DeadLetter letter(String id, Channel channel) {
        Instant now = Instant.now();
        Notification n = new Notification("Alice", "hello", null, null, "col-" + id, null, Priority.HIGH, false, Map.of());
        PushJob job = PushJob.of("m-" + id, "u-" + id, "c1", n,
                List.of(new PushTarget("d-" + id, channel, "token-" + id, "app", false)), now, now.plus(Duration.ofHours(1)));
        return DeadLetter.ofJob(DeadLetterReason.RETRIES_EXHAUSTED, "vendor down",
                new DeadLetter.Source(Topics.JOBS, 0, 0, job.userId()), job, List.of(), "test", now);
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static DeadLetter send(KafkaProducer<byte[], byte[]> producer, int partition, DeadLetter letter)
            throws Exception {
        producer.send(new ProducerRecord<>(Topics.DLQ, partition, letter.job().userId().getBytes(),
                ContractCodec.deadLetters().encode(letter))).get();
        return letter;
    }

    private static List<String> messageIds(List<DeadLetter> letters) {
        return letters.stream().map(l -> l.job().messageId()).toList();
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }

    /** The message id of every job on push.jobs, in partition order; each must say it is a replay. */
    private static List<String> replayedMessageIds() {
        ContractCodec<PushJob> codec = ContractCodec.jobs(Integer.MAX_VALUE);
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.JOBS).stream()
                    .map(p -> new TopicPartition(Topics.JOBS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    assertEquals(JobHeaders.Origin.REPLAY, JobHeaders.origin(r.headers()));
                    if (codec.decode(r.value()) instanceof Decoded.Ok<PushJob> ok) {
                        ids.add(ok.value().messageId());
                    }
                }
            }
        }
        return ids;
    }
}
