package dev.impush.replay;

import dev.impush.model.Channel;
import dev.impush.model.Lane;
import dev.impush.model.Tokens;
import dev.impush.model.Topics;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.deadletter.DeadLetterReason;
import dev.impush.model.job.JobHeaders;
import dev.impush.model.job.PushJob;
import dev.impush.runtime.Env;
import dev.impush.runtime.kafka.KafkaConnection;
import dev.impush.runtime.redis.RedisConnection;
import dev.impush.runtime.redis.RedisLink;
import io.lettuce.core.TimeoutOptions;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code scripts/replay}: look at the dead-letter topic and send its jobs again. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ReplayCommand.Summary.class, ReplayCommand.ListLetters.class, ReplayCommand.Run.class},
        description = "Summarise, list and replay impush dead letters (push.dlq).")
public final class ReplayCommand {

    public static void main(String[] args) {
        System.exit(run(Clock.systemUTC(), new PrintWriter(System.out, true), args));
    }

    /** Runs the CLI with its report on {@code out} (for tests: no System.exit). */
    public static int run(Clock clock, PrintWriter out, String... args) {
        return run(clock, out, new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with its report on {@code out} and progress and errors on {@code err}. */
    public static int run(Clock clock, PrintWriter out, PrintWriter err, String... args) {
        CLOCK[0] = clock;
        return new CommandLine(new ReplayCommand()).setOut(out).setErr(err).execute(args);
    }

    private static final Clock[] CLOCK = {Clock.systemUTC()};

    /** Where to read and which letters. */
    static final class Common {
        @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: $IMPUSH_KAFKA_BOOTSTRAP or localhost:9092)")
        String bootstrap = env("IMPUSH_KAFKA_BOOTSTRAP", "localhost:9092");
        @Option(names = "--dlq-topic", description = "dead-letter topic (default: ${DEFAULT-VALUE})")
        String dlqTopic = env("IMPUSH_TOPIC_DLQ", Topics.DLQ);
        @Option(names = "--since", description = "dead-lettered at or after (ISO instant, or a duration ago: 2h, 30m, 1d)")
        String since;
        @Option(names = "--until", description = "dead-lettered before (ISO instant or a duration ago)")
        String until;
        @Option(names = "--channel", description = "a device of the job is on this channel (apns, fcm, ...)")
        String channel;
        @Option(names = "--reason", description = "dead-letter reason (retries-exhausted, rate-limited, rejected, malformed, ...)")
        String reason;
        @Option(names = "--user", description = "the job's recipient user id")
        String user;

        /** The connection {@code IMPUSH_KAFKA_*} describes (TLS, SASL, settings passed through), to {@code --bootstrap}. */
        KafkaConnection kafka() {
            return KafkaConnection.fromEnv(envWith(KafkaConnection.BOOTSTRAP, bootstrap));
        }

        DeadLetterFilter filter() {
            return new DeadLetterFilter(time(since), time(until), channel == null ? null : Channel.fromWire(channel),
                    reason == null ? null : DeadLetterReason.fromWire(reason), user);
        }

        private static Instant time(String s) {
            if (s == null) {
                return null;
            }
            return s.matches(DURATION) ? CLOCK[0].instant().minus(duration(s, s)) : Instant.parse(s);
        }

        private static final String DURATION = "\\d+[smhd]";

        /** {@code 30s}, {@code 30m}, {@code 6h}, {@code 2d}; {@code option} names it in the error. */
        static Duration duration(String s, String option) {
            if (!s.matches(DURATION)) {
                throw new IllegalArgumentException(option + ": '" + s + "' is not a duration like 30m, 6h or 14d");
            }
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            ChronoUnit unit = switch (s.charAt(s.length() - 1)) {
                case 's' -> ChronoUnit.SECONDS;
                case 'm' -> ChronoUnit.MINUTES;
                case 'h' -> ChronoUnit.HOURS;
                default -> ChronoUnit.DAYS;
            };
            return Duration.of(n, unit);
        }
    }

    @Command(name = "summary", mixinStandardHelpOptions = true, description = "Counts by reason, channel and hour.")
    static final class Summary implements Callable<Integer> {
        @Mixin
        Common common;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            DeadLetterFilter filter = common.filter();
            Map<String, Integer> byReason = new TreeMap<>();
            Map<String, Integer> byChannel = new TreeMap<>();
            Map<String, Integer> byHour = new TreeMap<>();
            int[] total = {0};
            try (DeadLetterReader reader = new DeadLetterReader(common.kafka(), common.dlqTopic)) {
                reader.readToEnd((r, letter) -> {
                    if (letter == null) {
                        byReason.merge("(unreadable dead letter)", 1, Integer::sum);
                        total[0]++;
                        return;
                    }
                    if (!filter.test(letter)) {
                        return;
                    }
                    total[0]++;
                    byReason.merge(letter.reason().wireName(), 1, Integer::sum);
                    byHour.merge(letter.at().truncatedTo(ChronoUnit.HOURS).toString(), 1, Integer::sum);
                    if (letter.job() == null) {
                        byChannel.merge("(no job: unreadable input)", 1, Integer::sum);
                    } else {
                        letter.job().targets().stream().map(t -> t.channel().wireName()).distinct()
                                .forEach(c -> byChannel.merge(c, 1, Integer::sum));
                    }
                });
            }
            PrintWriter out = spec.commandLine().getOut();
            out.printf("%d dead letters%n", total[0]);
            table(out, "reason", byReason);
            table(out, "channel", byChannel);
            table(out, "hour (UTC)", byHour);
            out.flush();
            return 0;
        }

        private static void table(PrintWriter out, String title, Map<String, Integer> counts) {
            out.printf("%n  %-32s %8s%n", title, "count");
            counts.forEach((k, v) -> out.printf("  %-32s %8d%n", k, v));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "One line per dead letter.")
    static final class ListLetters implements Callable<Integer> {
        @Mixin
        Common common;
        @Option(names = "--limit", description = "at most this many lines (default: ${DEFAULT-VALUE})")
        int limit = 100;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            DeadLetterFilter filter = common.filter();
            PrintWriter out = spec.commandLine().getOut();
            int[] shown = {0};
            out.printf("%-24s %-20s %-14s %-18s %-28s %s%n", "at", "reason", "user", "message", "devices", "detail");
            try (DeadLetterReader reader = new DeadLetterReader(common.kafka(), common.dlqTopic)) {
                reader.readToEnd((r, letter) -> {
                    if (letter == null || !filter.test(letter) || shown[0]++ >= limit) {
                        return;
                    }
                    PushJob job = letter.job();
                    String devices = job == null ? "-" : String.join(",", job.targets().stream()
                            .map(t -> t.channel().wireName() + ":" + Tokens.mask(t.token())).toList());
                    out.printf("%-24s %-20s %-14s %-18s %-28s %s%n", letter.at(), letter.reason().wireName(),
                            job == null ? "-" : job.userId(), job == null ? "-" : job.messageId(), devices,
                            letter.detail());
                });
            }
            if (shown[0] > limit) {
                out.printf("... %d more (raise --limit)%n", shown[0] - limit);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "run", aliases = "replay", mixinStandardHelpOptions = true,
            description = "Republish dead-lettered jobs to push.jobs or --target (origin REPLAY). A dry run unless --execute.")
    static final class Run implements Callable<Integer> {
        @Mixin
        Common common;
        @Option(names = "--execute", description = "really republish (default: dry run, nothing is sent)")
        boolean execute;
        @Option(names = "--include-expired", description = "also replay jobs past their expiry")
        boolean includeExpired;
        @Option(names = "--rate", description = "jobs per second at most (default: ${DEFAULT-VALUE})")
        int rate = 200;
        @Option(names = {"--target", "--jobs-topic"},
                description = "where to republish: a jobs topic (push.jobs, or push.jobs.bulk for bulk jobs) or a retry tier (default: $IMPUSH_TOPIC_JOBS or push.jobs)")
        String target = env("IMPUSH_TOPIC_JOBS", Topics.JOBS);
        @Option(names = "--force", description = "republish to a --target that is neither a jobs topic nor a retry tier")
        boolean force;
        @Option(names = "--redis", description = "Redis with the dedupe marks and the replay ledger (default: $IMPUSH_REDIS_URI or redis://localhost:6379)")
        String redis = env("IMPUSH_REDIS_URI", "redis://localhost:6379");
        @Option(names = {"--ledger", "--group"},
                description = "name of the ledger of letters already replayed; a new name starts afresh (default: ${DEFAULT-VALUE})")
        String ledgerName = "impush-replay";
        @Option(names = "--ledger-ttl", description = "how long the ledger remembers a replayed letter; at least the dead-letter topic's retention (default: ${DEFAULT-VALUE})")
        String ledgerTtl = "14d";
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            checkTarget();
            Duration ttl = ledgerTtl();
            DeadLetterFilter filter = common.filter();
            PrintWriter out = spec.commandLine().getOut();
            ReplayTally tally = new ReplayTally();
            Instant now = CLOCK[0].instant();
            long pause = 1_000_000_000L / Math.max(1, rate);
            long[] next = {System.nanoTime()};
            RedisConnection redisConnection = RedisConnection.fromEnv(envWith(RedisConnection.URI_KEY, redis));
            try (RedisLink link = redisConnection.open(o -> o.timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5))),
                         Duration.ofSeconds(5));
                 DeliveryMarks marks = new DeliveryMarks(link);
                 ReplayLedger ledger = new ReplayLedger(link, ledgerName, ttl);
                 KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(common.kafka().producer(Map.of(), Map.of(
                         ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                         new ByteArraySerializer(), new ByteArraySerializer());
                 DeadLetterReader reader = new DeadLetterReader(common.kafka(), common.dlqTopic)) {
                ContractCodec<PushJob> codec = ContractCodec.jobs(Integer.MAX_VALUE);
                LetterSelector selector = new LetterSelector(filter, includeExpired, now, ledger, marks);
                Progress progress = new Progress(spec.commandLine().getErr(), reader.remaining());
                reader.readToEnd((record, letter) -> {
                    progress.step();
                    ReplayLedger.LetterId id = ReplayLedger.LetterId.of(record);
                    switch (selector.decide(id, letter)) {
                        case ReplayDecision.Skip skip -> tally.skip(skip.why());
                        case ReplayDecision.Replay replay -> {
                            tally.replay(replay.job().targets().size());
                            if (execute) {
                                pace(next, pause);
                                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(target, record.key(),
                                        codec.encode(replay.job()));
                                JobHeaders.set(r.headers(), JobHeaders.ORIGIN, JobHeaders.Origin.REPLAY.name());
                                JobHeaders.set(r.headers(), JobHeaders.ATTEMPT, "0");
                                try {
                                    producer.send(r).get();
                                } catch (Exception e) {
                                    throw new IllegalStateException("republish failed: " + e.getMessage(), e);
                                }
                                ledger.record(id, target, CLOCK[0].instant());
                            }
                        }
                    }
                });
                progress.done();
            }
            tally.print(out, execute);
            return 0;
        }

        /** Refuses (exit code 2) a target no worker reads as push jobs, unless --force. */
        private void checkTarget() {
            String prefix = env("IMPUSH_TOPIC_RETRY_PREFIX", Topics.RETRY_PREFIX);
            String tiers = env("IMPUSH_RETRY_TIERS", Topics.DEFAULT_RETRY_TIERS);
            List<String> tierTopics = new ArrayList<>(Topics.retryTierTopics(prefix, tiers));
            tierTopics.addAll(Topics.retryTierTopics(prefix + Lane.BULK.infix(), tiers));
            ReplayTarget allowed = new ReplayTarget(List.of(env("IMPUSH_TOPIC_JOBS", Topics.JOBS),
                    env("IMPUSH_TOPIC_JOBS_BULK", Topics.JOBS_BULK)), tierTopics);
            switch (allowed.check(target, force)) {
                case ReplayTarget.Refused refused -> throw new CommandLine.ParameterException(spec.commandLine(),
                        refused.message());
                case ReplayTarget.Forced forced -> spec.commandLine().getErr().printf(
                        "--force: replaying into %s, which is neither a jobs topic nor a retry tier%n", forced.topic());
                case ReplayTarget.Allowed ok -> { }
            }
        }

        private Duration ledgerTtl() {
            try {
                Duration ttl = Common.duration(ledgerTtl, "--ledger-ttl");
                if (ttl.isZero()) {
                    throw new IllegalArgumentException("--ledger-ttl must be more than 0");
                }
                return ttl;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        private static void pace(long[] next, long pauseNanos) {
            long wait = next[0] - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            next[0] = Math.max(next[0], System.nanoTime()) + pauseNanos;
        }
    }

    /** The environment (over {@code IMPUSH_CONFIG_FILE}) with {@code key} set to what the command line says. */
    private static Env envWith(String key, String value) {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.put(key, value);
        return Env.layered(vars);
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }
}
