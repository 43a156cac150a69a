package dev.impush.e2e;

import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.event.CallEvent;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.PreferencesEvent;
import dev.impush.model.event.QuietHours;
import dev.impush.model.event.RecallEvent;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * The quickstart's fourth wave, what an IM app's notifications must feel like, checked device by
 * device on the mock vendors: a call rung and then cancelled (one notification left: the missed call),
 * a user in quiet hours (a message held back, an @mention let through), a badge that counts what is
 * unread after a read, and that read clearing the conversation on the user's phones, a delivered message
 * recalled (its notification replaced by "Message recalled" on every phone that showed it). Four groups
 * of {@link #USERS} users with offline devices each.
 */
final class ImSemanticsWave {
    static final int USERS = 20;
    /** Groups of users: callers, users in quiet hours, readers, recallers. */
    static final int GROUPS = 4;
    /** The channels with a background push, which get the clear of a conversation read elsewhere. */
    private static final Set<Channel> CLEARABLE = EnumSet.of(Channel.APNS, Channel.FCM, Channel.XIAOMI, Channel.HUAWEI,
            Channel.HONOR, Channel.MEIZU, Channel.HARMONY);
    private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    /** Pushes the vendors got in this wave, a line per check, and how many devices fell short. */
    record Outcome(long pushes, List<String> lines, int wrong) {}

    private final LocalPipeline pipeline;
    private final ImTraffic traffic;
    private final Population population;

    ImSemanticsWave(LocalPipeline pipeline, ImTraffic traffic, Population population) {
        this.pipeline = pipeline;
        this.traffic = traffic;
        this.population = population;
    }

    /** {@code users}: at least {@link #GROUPS} x {@link #USERS} users, each with a reachable offline device. */
    Outcome run(List<Population.Device> reachable, List<String> users) throws InterruptedException {
        List<String> callers = users.subList(0, USERS);
        List<String> quiet = users.subList(USERS, 2 * USERS);
        List<String> readers = users.subList(2 * USERS, 3 * USERS);
        List<String> recallers = users.subList(3 * USERS, 4 * USERS);
        Instant now = Instant.now();
        LocalTime local = LocalTime.ofInstant(now, ZoneOffset.UTC);
        for (String u : quiet) {
            traffic.preferences(new PreferencesEvent(Contract.VERSION, u, new QuietHours(local.minusHours(1).format(HH_MM),
                    local.plusHours(1).format(HH_MM), "UTC", QuietHours.Mode.DROP, true, false), now));
            traffic.message(population, u, "q1-" + u, "held back", now);
            traffic.groupMessage(population, u, "g-q-" + u, "q2-" + u, "Bob", "@you", true, now);
        }
        for (String u : callers) {
            traffic.call(call(u, CallEvent.Action.INVITE, now));
        }
        for (String u : readers) {
            traffic.message(population, unbadged(u, "dm-a", "b1-" + u, now));
            traffic.message(population, unbadged(u, "dm-a", "b2-" + u, now));
            traffic.read(u, "dm-a", now, null, now.plusMillis(1));
            traffic.message(population, unbadged(u, "dm-b", "b3-" + u, now.plusMillis(2)));
        }
        for (String u : recallers) {
            traffic.message(population, unbadged(u, "dm-r", "r1-" + u, now));
        }
        traffic.flush();
        List<Population.Device> ringing = of(reachable, callers);
        List<Population.Device> quieted = of(reachable, quiet);
        List<Population.Device> reading = of(reachable, readers);
        List<Population.Device> recalled = of(reachable, recallers);
        await(() -> ringing.stream().allMatch(d -> requests("call-" + d.userId(), d) == 1)
                && quieted.stream().allMatch(d -> requests("q2-" + d.userId(), d) == 1)
                && reading.stream().allMatch(d -> requests("b3-" + d.userId(), d) == 1)
                && recalled.stream().allMatch(d -> requests("r1-" + d.userId(), d) == 1));
        for (String u : callers) {
            traffic.call(call(u, CallEvent.Action.CANCEL, now.plusSeconds(1)));
        }
        for (String u : recallers) {
            traffic.recall(new RecallEvent(Contract.VERSION, u, "r1-" + u, "dm-r", now, 3600, now.plusSeconds(1)));
        }
        traffic.flush();
        await(() -> ringing.stream().allMatch(d -> requests("call-" + d.userId(), d) == 2)
                && recalled.stream().allMatch(d -> requests("recall:r1-" + d.userId(), d) == 1));

        int callsWrong = wrong(ringing, d -> requests("call-" + d.userId(), d) == 2
                && pipeline.ledger(d.channel()).tray(d.deviceId()).values().stream().filter(("call-" + d.userId())::equals).count() == 1);
        int quietWrong = wrong(quieted, d -> requests("q1-" + d.userId(), d) == 0 && requests("q2-" + d.userId(), d) == 1);
        // the read (on no device of theirs: the desktop) clears dm-a on every phone with a background push
        String clear = "read:dm-a:" + now.toEpochMilli();
        int badgesWrong = wrong(reading, d -> requests("b1-" + d.userId(), d) == 1 && requests("b2-" + d.userId(), d) == 1
                && requests("b3-" + d.userId(), d) == 1 && (d.channel() != Channel.APNS || badge("b3-" + d.userId(), d) == 1)
                && requests(clear, d) == (CLEARABLE.contains(d.channel()) ? 1 : 0));
        long clears = reading.stream().filter(d -> CLEARABLE.contains(d.channel())).count();
        // the recall replaced the message's notification: the tray holds the recall, not the message
        int recallsWrong = wrong(recalled, d -> requests("r1-" + d.userId(), d) == 1
                && requests("recall:r1-" + d.userId(), d) == 1
                && !pipeline.ledger(d.channel()).tray(d.deviceId()).containsValue("r1-" + d.userId())
                && pipeline.ledger(d.channel()).tray(d.deviceId()).containsValue("recall:r1-" + d.userId()));
        return new Outcome(2L * ringing.size() + quieted.size() + 3L * reading.size() + clears + 2L * recalled.size(), List.of(
                "calls: %d devices rang and then showed one missed call, %d off".formatted(ringing.size(), callsWrong),
                "quiet hours: %d devices, a message held back and an @mention through, %d off".formatted(quieted.size(), quietWrong),
                "badges after a read, cleared elsewhere: %d devices (%d clears), %d off".formatted(reading.size(), clears,
                        badgesWrong),
                "recall: %d devices showed a message and then \"Message recalled\" in its place, %d off".formatted(
                        recalled.size(), recallsWrong)),
                callsWrong + quietWrong + badgesWrong + recallsWrong);
    }

    private static CallEvent call(String userId, CallEvent.Action action, Instant at) {
        return new CallEvent(Contract.VERSION, "call-" + userId, userId, action, "u-caller", "Carol", CallEvent.Media.AUDIO,
                null, 60, at);
    }

    private static MessageEvent unbadged(String userId, String conversation, String messageId, Instant at) {
        return new MessageEvent(Contract.VERSION, messageId, userId, conversation, MessageEvent.ConversationType.DIRECT,
                "u-sender", "Alice", "hi", false, null, at, 3600, Priority.HIGH, false);
    }

    private static List<Population.Device> of(List<Population.Device> reachable, List<String> users) {
        return reachable.stream().filter(d -> users.contains(d.userId())).toList();
    }

    private int requests(String messageId, Population.Device d) {
        return pipeline.ledger(d.channel()).requests(messageId, d.deviceId());
    }

    /** The badge of the APNs payload the device got for the message (its ledger keeps payloads). */
    private int badge(String messageId, Population.Device d) {
        return pipeline.ledger(Channel.APNS).payload(messageId, d.deviceId()).map(p -> {
            try {
                return Json.mapper().readTree(p).path("aps").path("badge").asInt(-1);
            } catch (IOException e) {
                return -1;
            }
        }).orElse(-1);
    }

    private static int wrong(List<Population.Device> devices, Predicate<Population.Device> right) {
        return (int) devices.stream().filter(right.negate()).count();
    }

    private static void await(BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }
}
