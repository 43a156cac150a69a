package dev.impush.worker.retry;

import dev.impush.model.Channel;
import dev.impush.model.Lane;
import dev.impush.model.Topics;
import dev.impush.runtime.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The durable retry ladder: a job whose devices the vendor still fails after the in-process
 * retries climbs one tier per attempt ({@code push.retry.5s}, {@code push.retry.30s},
 * {@code push.retry.2m}, {@code push.retry.10m}, {@code push.retry.1h} by default), and after the last
 * one goes to the dead-letter topic. Sends held back without a vendor call (open breaker, spent
 * quota) climb nothing: they wait in their channel's parking topic.
 *
 * <p>A tier partition waits at its first record not yet due, so a device that must wait longer than
 * its tier (a spent daily quota: until midnight; a long {@code Retry-After}) would hold every
 * record behind it, of every channel. Such a device climbs the same rung but waits in its channel's
 * parking topic ({@code parkPrefix} + channel: {@code push.park.xiaomi}), behind its own channel only.
 */
public record RetryTiers(List<Tier> tiers, String retryPrefix, String parkPrefix) {

    /** One rung: its topic and how long a record waits there. */
    public record Tier(String topic, Duration delay) {}

    public RetryTiers {
        tiers = List.copyOf(tiers);
    }

    /** The same tiers with parking topics under {@code prefix}. */
    public RetryTiers withParkPrefix(String prefix) {
        return new RetryTiers(tiers, retryPrefix, prefix);
    }

    /**
     * The same ladder for {@code lane}: its tiers and parking topics carry the lane's infix
     * ({@code push.retry.bulk.5s}, {@code push.park.bulk.xiaomi}), so a lane's retries wait behind
     * its own records only.
     */
    public RetryTiers forLane(Lane lane) {
        String prefix = retryPrefix + lane.infix();
        return new RetryTiers(tiers.stream()
                .map(t -> new Tier(prefix + t.topic().substring(retryPrefix.length()), t.delay())).toList(),
                prefix, parkPrefix + lane.infix());
    }

    /** Where deliveries of {@code channel} wait that must wait longer than their tier. */
    public String parkTopic(Channel channel) {
        return parkPrefix + channel.wireName();
    }

    /** The parking topics of {@code channels}. */
    public List<String> parkTopics(Collection<Channel> channels) {
        return channels.stream().map(this::parkTopic).toList();
    }

    /** A topic whose records wait until due: a tier (of this ladder or a former one) or a parking topic. */
    public boolean isDelayed(String topic) {
        return topic.startsWith(retryPrefix) || parkedChannel(topic) != null;
    }

    /** The channel whose parking topic {@code topic} is; {@code null} for any other topic. */
    public Channel parkedChannel(String topic) {
        if (!topic.startsWith(parkPrefix)) {
            return null; // the common case, asked per polled partition: no allocation
        }
        String wire = topic.substring(parkPrefix.length());
        for (Channel c : Channel.values()) {
            if (c.wireName().equals(wire)) {
                return c;
            }
        }
        return null;
    }

    /**
     * @param prefix topic prefix ({@code push.retry.})
     * @param spec   comma-separated delays with a unit: {@code 500ms}, {@code 10s}, {@code 1m}, {@code 2h}
     * @param key    the configuration key, for error messages
     */
    public static RetryTiers parse(String prefix, String spec, String key) {
        List<Tier> tiers = new ArrayList<>();
        if (!spec.isBlank()) {
            for (String part : spec.split(",")) {
                String topic = Topics.retryTierTopic(prefix, part);
                tiers.add(new Tier(topic, parseDelay(topic.substring(prefix.length()), key)));
            }
        }
        for (int i = 1; i < tiers.size(); i++) {
            if (tiers.get(i).delay().compareTo(tiers.get(i - 1).delay()) < 0) {
                throw new ConfigException(key + "=" + spec + ": delays must not decrease");
            }
        }
        return new RetryTiers(tiers, prefix, Topics.PARK_PREFIX);
    }

    private static Duration parseDelay(String p, String key) {
        try {
            if (p.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(p.substring(0, p.length() - 2)));
            }
            long n = Long.parseLong(p.substring(0, p.length() - 1));
            return switch (p.charAt(p.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new ConfigException(key + ": '" + p + "' is not a delay like 500ms, 10s, 1m or 2h");
        }
    }

    /** The tier for a job that has already been attempted {@code attempt} times (0 = first try failed). */
    public Optional<Tier> forAttempt(int attempt) {
        return attempt < tiers.size() ? Optional.of(tiers.get(attempt)) : Optional.empty();
    }

    public List<String> topics() {
        return tiers.stream().map(Tier::topic).toList();
    }

    /**
     * Tier topics of another ladder among {@code existing} (named prefix + delay, as
     * {@code IMPUSH_RETRY_TIERS} names them, but not one of these tiers): left by an earlier
     * configuration, they are still read until empty, so changing the tiers strands no record.
     */
    public List<String> formerTiers(Collection<String> existing) {
        Pattern tier = Pattern.compile(
                Pattern.quote(retryPrefix) + "\\d+(ms|s|m|h)");
        return existing.stream().filter(t -> tier.matcher(t).matches() && !isTier(t)).sorted().toList();
    }

    public boolean isTier(String topic) {
        return tiers.stream().anyMatch(t -> t.topic().equals(topic));
    }
}
