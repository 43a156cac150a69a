package dev.impush.e2e;

import dev.impush.detector.DetectorMetrics;
import dev.impush.localstack.FixtureMode;
import dev.impush.localstack.Ports;
import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.model.codec.Json;
import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.receipt.ReceiptServer;
import dev.impush.worker.receipt.ReceiptSettings;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code scripts/quickstart}: the whole pipeline on this machine (in-JVM Kafka broker,
 * redis-server, the nine mock vendors, offline detector, two push workers) under generated IM
 * traffic, then a report that must balance. Exit code 0 when it does, 1 when it does not.
 */
public final class Quickstart {
    private static final int STORM_USERS = 100;
    private static final int STORM_MESSAGES = 10;
    private static final int WEB_CLIENT_EVERY = 10;
    private final int users;
    private final long seed;

    private Quickstart(int users, long seed) {
        this.users = users;
        this.seed = seed;
    }

    public static void main(String[] args) throws Exception {
        int users = Integer.parseInt(System.getenv().getOrDefault("IMPUSH_QUICKSTART_USERS", "2000"));
        long seed = Long.parseLong(System.getenv().getOrDefault("IMPUSH_QUICKSTART_SEED", "42"));
        boolean ok = new Quickstart(users, seed).run();
        System.exit(ok ? 0 : 1);
    }

    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }

    boolean run() throws Exception {
        say("impush quickstart: %d users, seed %d", users, seed);
        long t0 = System.nanoTime();
        // delivery receipts: Xiaomi, vivo and OPPO pushes ask for them; worker 1 takes the callbacks, for both workers
        int receiptPort = Ports.free();
        Map<String, String> receipts = Map.of(ReceiptSettings.URL, "http://127.0.0.1:" + receiptPort + "/receipts",
                ReceiptSettings.KEY, HexFormat.of().formatHex(receiptKey()),
                ReceiptSettings.PORT, Integer.toString(receiptPort));
        try (LocalPipeline pipeline = LocalPipeline.start(LocalPipeline.Options.of(FixtureMode.LOCAL).withWorkerEnv(receipts));
             ImTraffic traffic = new ImTraffic(pipeline.bootstrapServers(), Topics.EVENTS, Topics.GATEWAYS);
             DeadLetterCounter dlq = new DeadLetterCounter(pipeline.bootstrapServers(), Topics.DLQ)) {
            say("  started: Kafka %s, redis %s, mock APNs :%d, mock FCM %s, detector, 2 workers (%.1f s)",
                    pipeline.bootstrapServers(), pipeline.stack().redisUri(), pipeline.apns().port(),
                    pipeline.fcm().baseUrl(), (System.nanoTime() - t0) / 1e9);
            // phones, and a web client (a browser's push subscription) for every tenth user
            Population population = Population.generate(users, 0.6, 0.5, 0.05, seed)
                    .withWebClients(WEB_CLIENT_EVERY, pipeline.vendors()::subscribe);
            List<Population.Device> offline = population.devices().stream().filter(d -> !d.online()).toList();
            List<Population.Device> invalid = offline.stream().filter(d -> !d.tokenValid()).toList();
            List<Population.Device> reachable = offline.stream().filter(Population.Device::tokenValid).toList();
            say("  %d devices (%s): %d online, %d offline of which %d with a dead token",
                    population.devices().size(), perChannel(population.devices()),
                    population.devices().size() - offline.size(), offline.size(), invalid.size());
            pipeline.startWorker("quickstart-worker-1");
            pipeline.startWorker("quickstart-worker-2", Map.of(ReceiptSettings.PORT, "0"));
            pipeline.ledger(Channel.APNS).keepPayloads(); // for the badges of wave 4
            Instant now = Instant.now();
            Instant registeredAt = now.minusSeconds(60);
            pipeline.registerAtVendors(population, registeredAt);
            traffic.connect(population, "gw-1", registeredAt);

            // Wave 1: a message per user; the IM platform retries 5 % of them (same message id twice).
            long w1 = System.nanoTime();
            for (String u : population.userIds()) {
                String id = traffic.message(population, u, "m1-" + u, "hello " + u, Instant.now());
                if (Math.floorMod(u.hashCode(), 20) == 0) {
                    traffic.message(population, u, id, "hello " + u, Instant.now());
                }
            }
            int malformed = traffic.malformed("u0");
            traffic.raw("u1", Json.write(Map.of("v", 1, "type", "message", "messageId", "big", "userId", "u1",
                    "conversationId", "c", "sentAt", now.toString(), "preview", "x".repeat(100_000))));
            malformed++;
            traffic.flush();
            int expected1 = reachable.size();
            waitFor("wave 1", pipeline, () -> delivered(pipeline, reachable, "m1-") >= expected1
                    && pipeline.count(DetectorMetrics.TOKENS_REMOVED) >= invalid.size(), expected1, reachable, "m1-");
            double wave1Seconds = (System.nanoTime() - w1) / 1e9;

            // Wave 2: after the dead tokens were removed, nothing may go to them again.
            long rejectedBefore = rejectedInvalid(pipeline);
            for (String u : population.userIds()) {
                traffic.message(population, u, "m2-" + u, "again " + u, Instant.now());
            }
            traffic.flush();
            waitFor("wave 2", pipeline, () -> delivered(pipeline, reachable, "m2-") >= expected1, expected1, reachable, "m2-");

            // Wave 3: group storms. 10 messages in a group within half a second for some users (every
            // fifth @mentioned in the 5th): the first pushes, the rest arrive as one update replacing it.
            List<String> stormUsers = reachable.stream().map(Population.Device::userId).distinct()
                    .limit(STORM_USERS).toList();
            List<Population.Device> stormDevices = reachable.stream().filter(d -> stormUsers.contains(d.userId())).toList();
            Instant stormAt = Instant.now();
            for (int i = 1; i <= STORM_MESSAGES; i++) {
                for (String u : stormUsers) {
                    traffic.groupMessage(population, u, "g-" + u, "s" + i + "-" + u, i % 2 == 0 ? "Bob" : "Alice",
                            "storm " + i, i == 5 && mentionedInStorm(u), stormAt.plusMillis(50L * i));
                }
            }
            traffic.flush();
            waitFor("wave 3 (group storms)", pipeline,
                    () -> delivered(pipeline, stormDevices, "s" + STORM_MESSAGES + "-") >= stormDevices.size(),
                    stormDevices.size(), stormDevices, "s" + STORM_MESSAGES + "-");

            // Wave 4: a call, quiet hours, badges after a read, a recall (ImSemanticsWave), for users not in the storms
            List<String> others = reachable.stream().map(Population.Device::userId).distinct()
                    .filter(u -> !stormUsers.contains(u)).limit((long) ImSemanticsWave.GROUPS * ImSemanticsWave.USERS)
                    .toList();
            ImSemanticsWave.Outcome semantics = new ImSemanticsWave(pipeline, traffic, population).run(reachable, others);
            Thread.sleep(1000); // let stragglers (which would be errors) arrive before counting
            long receiptsDue = receiptsDue(pipeline);
            for (int i = 0; i < 100 && receipts(pipeline, "true") + receipts(pipeline, "false") < receiptsDue; i++) {
                Thread.sleep(100);
            }
            long rejectedAfter = rejectedInvalid(pipeline);
            long deadLettered = 0;
            for (int i = 0; i < 10 && deadLettered < malformed; i++) {
                deadLettered = dlq.poll().total();
            }
            return report(pipeline, population, reachable, invalid, stormDevices, semantics, traffic.events(), malformed, dlq,
                    wave1Seconds, rejectedBefore, rejectedAfter, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static boolean mentionedInStorm(String userId) {
        return Math.floorMod(userId.hashCode(), 5) == 0;
    }

    /** Sends the vendors answered "invalid token" to. */
    private static long rejectedInvalid(LocalPipeline p) {
        return (long) p.count(WorkerMetrics.INVALID_TOKENS);
    }

    private static int stormRequests(LocalPipeline p, Population.Device d) {
        int n = 0;
        for (int i = 1; i <= STORM_MESSAGES; i++) {
            n += p.ledger(d.channel()).requests("s" + i + "-" + d.userId(), d.deviceId());
        }
        return n;
    }

    private static String perChannel(List<Population.Device> devices) {
        StringBuilder b = new StringBuilder();
        for (Channel c : Channel.values()) {
            long n = devices.stream().filter(d -> d.channel() == c).count();
            b.append(b.isEmpty() ? "" : ", ").append(c.wireName()).append(' ').append(n);
        }
        return b.toString();
    }

    private static long delivered(LocalPipeline p, List<Population.Device> devices, String prefix) {
        long n = 0;
        for (Population.Device d : devices) {
            if (p.ledger(d.channel()).requests(prefix + d.userId(), d.deviceId()) > 0) {
                n++;
            }
        }
        return n;
    }

    private static void waitFor(String what, LocalPipeline p, BooleanSupplier done, int expected,
                                List<Population.Device> devices, String prefix) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofMinutes(3).toNanos();
        long lastPrint = 0;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            if (System.nanoTime() - lastPrint > 1_000_000_000L) {
                lastPrint = System.nanoTime();
                say("  %s: %6d / %d delivered, jobs made %d, in flight %.0f", what, delivered(p, devices, prefix),
                        expected, (long) p.count(DetectorMetrics.JOBS), gauge(p, WorkerMetrics.IN_FLIGHT));
            }
            Thread.sleep(100);
        }
        say("  %s: %6d / %d delivered in %.1f s", what, delivered(p, devices, prefix), expected,
                (System.nanoTime() - start) / 1e9);
    }

    private static double gauge(LocalPipeline p, String name) {
        var g = p.meters().find(name).gauge();
        return g == null ? 0 : g.value();
    }

    /** A fresh key for this run's receipt tags (nextBytes: generateSeed may wait for entropy). */
    private static byte[] receiptKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Pushes the vendors that send receipts accepted: each must come back as a receipt. */
    private static long receiptsDue(LocalPipeline p) {
        return ReceiptSettings.CHANNELS.stream().mapToLong(c -> p.ledger(c).total()).sum();
    }

    /** Delivered receipts published, with ids ({@code known} "true") or without. */
    private static long receipts(LocalPipeline p, String known) {
        return (long) p.count(ReceiptServer.RECEIPTS, "event", "delivered", "known", known);
    }

    private boolean report(LocalPipeline p, Population population, List<Population.Device> reachable,
                           List<Population.Device> invalid, List<Population.Device> stormDevices,
                           ImSemanticsWave.Outcome semantics, long events,
                           int malformed, DeadLetterCounter dlq,
                           double wave1Seconds, long rejectedBefore, long rejectedAfter, double totalSeconds) {
        int pairs = 0;
        int missing = 0;
        int shownTwice = 0;
        for (String prefix : List.of("m1-", "m2-")) {
            for (Population.Device d : reachable) {
                pairs++;
                int shown = p.ledger(d.channel()).shown(prefix + d.userId(), d.deviceId());
                if (shown == 0) {
                    missing++;
                } else if (shown > 1) {
                    shownTwice++;
                }
            }
        }
        // storms: per device the first push and one update (plus the @mention where there was one),
        // all but the mention under one collapse id, so the device shows 1 (or 2) notifications
        long stormPushes = 0;
        long stormShown = 0;
        int stormWrong = 0;
        for (Population.Device d : stormDevices) {
            int pushes = stormRequests(p, d);
            long shown = p.ledger(d.channel()).tray(d.deviceId()).values().stream()
                    .filter(m -> m.startsWith("s") && m.endsWith("-" + d.userId())).count();
            int expectedPushes = mentionedInStorm(d.userId()) ? 3 : 2;
            stormPushes += pushes;
            stormShown += shown;
            if (pushes != expectedPushes || shown != expectedPushes - 1) {
                stormWrong++;
            }
        }
        long onlinePushed = population.devices().stream().filter(Population.Device::online)
                .filter(d -> p.ledger(d.channel()).requests("m1-" + d.userId(), d.deviceId())
                        + p.ledger(d.channel()).requests("m2-" + d.userId(), d.deviceId())
                        + stormRequests(p, d) > 0).count();
        long delivered = 0;
        long resends = 0;
        StringBuilder byChannel = new StringBuilder();
        boolean everyChannel = true;
        for (Channel c : Channel.values()) {
            long n = p.ledger(c).total();
            delivered += n;
            // a call's cancel goes under the call's id again, on purpose (it replaces the ringing)
            resends += p.ledger(c).requestsByKey().entrySet().stream().filter(e -> !e.getKey().messageId().startsWith("call-"))
                    .mapToLong(e -> Math.max(0, e.getValue() - 1)).sum();
            everyChannel &= n > 0;
            byChannel.append(byChannel.isEmpty() ? "" : ", ").append(c.wireName()).append(' ').append(n);
        }
        long expectedRequests = pairs + stormPushes + semantics.pushes();
        double removed = p.count(DetectorMetrics.TOKENS_REMOVED);
        int dlqMalformed = (int) dlq.letters().stream().filter(l -> l.reason().isPoison()).count();

        say("");
        say("impush quickstart report");
        say("  events in (im.events + im.gateways)   %8d  (%d of them malformed or oversized)", events, malformed);
        say("  push jobs made (detector)             %8d", (long) p.count(DetectorMetrics.JOBS));
        say("  pushes delivered                      %8d  (expected %d)", delivered, expectedRequests);
        say("      %s", byChannel);
        say("  duplicates suppressed (worker dedupe) %8d", (long) p.count(WorkerMetrics.DUPLICATES));
        say("  invalid tokens removed                %8d  of %d dead tokens; vendor said invalid %d times in wave 1, %d in wave 2",
                (long) removed, invalid.size(), rejectedBefore, rejectedAfter - rejectedBefore);
        say("  dead-lettered                         %8d", dlq.total());
        dlq.byReason().forEach((reason, n) -> say("      %-40s %6d", reason, n));
        say("  group storms (coalesced)              %8d  devices x %d messages -> %d pushes, shown as %d notifications, %d devices off",
                stormDevices.size(), STORM_MESSAGES, stormPushes, stormShown, stormWrong);
        semantics.lines().forEach(line -> say("  %s", line));
        long receiptsDue = receiptsDue(p);
        long receiptsKnown = receipts(p, "true");
        long receiptsUnknown = receipts(p, "false");
        long receiptsRefused = (long) p.count(ReceiptServer.REJECTED);
        say("  delivery receipts (xiaomi, vivo, oppo)%8d  of %d accepted pushes, on push.receipts with their ids; %d without, %d refused",
                receiptsKnown, receiptsDue, receiptsUnknown, receiptsRefused);
        say("  online devices pushed                 %8d", onlinePushed);
        say("  wave 1 throughput                     %8.0f deliveries/s (%d in %.1f s, end to end from first event)",
                reachable.size() / wave1Seconds, reachable.size(), wave1Seconds);
        say("  total run time                        %8.1f s", totalSeconds);
        boolean balanced = missing == 0 && shownTwice == 0 && resends == 0 && onlinePushed == 0 && stormWrong == 0
                && semantics.wrong() == 0
                && receiptsKnown == receiptsDue && receiptsUnknown == 0 && receiptsRefused == 0
                && !stormDevices.isEmpty()
                && delivered == expectedRequests && everyChannel && removed == invalid.size()
                && rejectedAfter == rejectedBefore && dlqMalformed == malformed;
        say("");
        say("  exactly once: %d offline device x message pairs, %d missing, %d shown twice, %d vendor re-sends -> %s",
                pairs, missing, shownTwice, resends, balanced ? "BALANCED" : "NOT BALANCED");
        return balanced;
    }
}
