package dev.impush.worker.retry;

import dev.impush.model.Channel;
import dev.impush.model.job.PushJob;
import dev.impush.model.job.PushTarget;
import dev.impush.worker.channel.SendOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.Predicate;

/**
 * Where the failed devices of a job go next. Each waits for what it needs, and only vendor answers
 * spend an attempt:
 * <ul>
 *   <li>held back without asking the vendor by an open breaker: the channel's parking topic, let out
 *       as soon as the breaker closes, due when it probes again (doubled each time in a row, up to
 *       {@link #MAX_HELD_WAIT_MILLIS}, so a long outage does not re-park every delivery every probe);
 *       its attempt count unchanged;</li>
 *   <li>held back by a spent quota: the parking topic until the quota's reset, attempt unchanged;</li>
 *   <li>the vendor failed while its channel's breaker is not closed (an outage): the parking topic,
 *       let out when the breaker closes, one attempt more;</li>
 *   <li>the vendor failed and said when to come back ({@code Retry-After}, a rate limit's end): the
 *       parking topic until then, one attempt more;</li>
 *   <li>the vendor failed otherwise: the next retry tier, its delay jittered by a fifth;</li>
 *   <li>not retryable, or past the last tier: the dead-letter topic.</li>
 * </ul>
 * A device that could be tried again only after its job expires is dropped as expired. Parking
 * keeps a long wait from holding up other channels, which a tier partition, waiting at its first
 * record not yet due, would. Pure: no I/O, the clock and the jitter are given.
 */
public final class RetryRouter {
    /**
     * Longest a send held back by an open breaker waits in its parking topic (a recovery lets it out
     * sooner): bounds how long an outage with no new traffic to probe the vendor goes unnoticed.
     */
    static final long MAX_HELD_WAIT_MILLIS = 60_000;
    static final String BREAKER = "breaker";
    static final String QUOTA = "quota";
    static final String VENDOR = "vendor";
    /** What a parked delivery can wait for. */
    public static final List<String> WAITS = List.of(BREAKER, QUOTA, VENDOR);

    /**
     * One record to publish.
     *
     * @param waitsFor      for a parking topic: {@link #BREAKER}, {@link #QUOTA} or {@link #VENDOR}; null on a tier
     * @param untilRecovery let out as soon as the channel's breaker closes again
     * @param held          times in a row the job was parked by an open breaker (0: none)
     */
    public record Route(String topic, Channel channel, Instant due, int attempt, String waitsFor, boolean untilRecovery,
                 int held, List<Failure> failures) {}

    /** Where every failure went: records to publish, devices to dead-letter, devices dropped as expired. */
    public record Decision(List<Route> routes, List<Failure> dead, int expired) {}

    private final RetryTiers tiers;
    private final LongUnaryOperator jitter;

    /** @param jitter turns a tier's delay (ms) into the delay of one record */
    public RetryRouter(RetryTiers tiers, LongUnaryOperator jitter) {
        this.tiers = tiers;
        this.jitter = jitter;
    }

    /** {@code millis}, jittered by up to a fifth either way, so retries of one moment spread out. */
    public static long jittered(long millis) {
        return millis + ThreadLocalRandom.current().nextLong(-millis / 5, millis / 5 + 1);
    }

    /**
     * @param job      the job, {@code null} when its record was unreadable (all dead)
     * @param attempt  vendor attempts before this record
     * @param held     times in a row this record's job was parked by an open breaker
     * @param healthy  whether the breaker of a device's channel is closed
     */
    public Decision route(PushJob job, int attempt, int held, List<Failure> failures, Instant now,
                   Predicate<PushTarget> healthy) {
        Optional<RetryTiers.Tier> tier = tiers.forAttempt(attempt);
        Instant tierDue = tier.map(t -> now.plusMillis(jitter.applyAsLong(t.delay().toMillis()))).orElse(null);
        List<Failure> dead = new ArrayList<>();
        Map<Destination, List<Failure>> byDestination = new LinkedHashMap<>();
        Map<Destination, Instant> dueOf = new LinkedHashMap<>();
        int expired = 0;
        for (Failure f : failures) {
            if (!f.retryable() || job == null || (f.heldBy() == null && tier.isEmpty())) {
                dead.add(f);
                continue;
            }
            Channel channel = f.target().channel();
            Destination to;
            Instant due;
            if (f.heldBy() == SendOutcome.Held.Cause.BREAKER) {
                long wait = Math.max(1_000, f.retryAt().toEpochMilli() - now.toEpochMilli());
                due = now.plusMillis(Math.min(MAX_HELD_WAIT_MILLIS, wait << Math.min(held, 8)));
                to = park(channel, attempt, BREAKER, held + 1);
            } else if (f.heldBy() == SendOutcome.Held.Cause.QUOTA) {
                due = f.retryAt();
                to = park(channel, attempt, QUOTA, 0);
            } else {
                // retryAt is the vendor's time when it gave one, else the moment of its answer
                boolean vendorTimed = f.retryAt().isAfter(now);
                due = vendorTimed ? f.retryAt() : tierDue;
                to = !healthy.test(f.target()) ? park(channel, attempt + 1, BREAKER, 0)
                        : vendorTimed ? park(channel, attempt + 1, VENDOR, 0)
                        : new Destination(tier.orElseThrow().topic(), null, attempt + 1, null, 0);
            }
            if (job.isExpired(due)) {
                expired++;
            } else {
                byDestination.computeIfAbsent(to, d -> new ArrayList<>()).add(f);
                dueOf.merge(to, due, (x, y) -> x.isAfter(y) ? x : y); // due when its last device is
            }
        }
        List<Route> routes = new ArrayList<>(byDestination.size());
        byDestination.forEach((d, fs) -> routes.add(new Route(d.topic(), d.channel(), dueOf.get(d), d.attempt(),
                d.waitsFor(), BREAKER.equals(d.waitsFor()), d.held(), List.copyOf(fs))));
        return new Decision(routes, dead, expired);
    }

    /** One record's destination: a tier topic, or a channel's parking topic and what it waits for there. */
    private record Destination(String topic, Channel channel, int attempt, String waitsFor, int held) {}

    private Destination park(Channel channel, int attempt, String waitsFor, int held) {
        return new Destination(tiers.parkTopic(channel), channel, attempt, waitsFor, held);
    }
}
