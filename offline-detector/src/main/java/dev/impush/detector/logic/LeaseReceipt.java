package dev.impush.detector.logic;

import dev.impush.detector.state.ReceivedLease;
import dev.impush.model.event.GatewayLease;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How the detector takes in a gateway's heartbeat: from when its lease runs, and whether it replaces
 * the gateway's stored lease. Gateways' clocks are not trusted beyond {@code maxClockSkew}.
 *
 * <p><b>Receipt.</b> A lease runs from when the detector received the heartbeat, on the detector's
 * clock, so a gateway clock behind or ahead changes nothing. The gateway-lease store is a global
 * store: Kafka Streams rebuilds it (a new instance, a lost state directory) by passing the whole
 * topic through the same processor, so a heartbeat can also be "received" long after it was written.
 * The record's timestamp tells the two apart: a heartbeat counts as received no later than
 * {@code maxClockSkew} after its timestamp. Live, the timestamp is within the skew of now (the broker's
 * append time with {@code message.timestamp.type=LogAppendTime}, else the gateway's own clock), so
 * the receipt is now; on a rebuild, an hour-old heartbeat counts from its timestamp plus the skew and
 * is long expired. A gateway whose clock is behind by more than the skew (with CreateTime) loses
 * that excess from its lease.
 *
 * <p><b>Order.</b> Within one incarnation, only a heartbeat with a later {@code at} replaces the stored
 * one: an older or repeated heartbeat never extends a lease. A heartbeat of another incarnation is a
 * restart and replaces the lease even when its {@code at} is older (the new process may run on a host
 * whose clock is behind), unless it is older by more than the skew: that is a replay of an incarnation
 * that is gone.
 */
public final class LeaseReceipt {
    private final Duration maxClockSkew;

    public LeaseReceipt(Duration maxClockSkew) {
        this.maxClockSkew = Objects.requireNonNull(maxClockSkew);
    }

    /**
     * @param recordTimestamp the heartbeat record's timestamp (ms), negative when it has none
     * @param now             the detector's clock
     */
    public Instant receivedAt(long recordTimestamp, Instant now) {
        if (recordTimestamp < 0) {
            return now;
        }
        Instant latest = Instant.ofEpochMilli(recordTimestamp).plus(maxClockSkew);
        return latest.isBefore(now) ? latest : now;
    }

    /** Whether {@code next} replaces {@code current} (the stored lease, {@code null} when none). */
    public boolean replaces(ReceivedLease current, GatewayLease next) {
        if (current == null) {
            return true;
        }
        if (Objects.equals(current.incarnation(), next.incarnation())) {
            return next.at().isAfter(current.at());
        }
        return !next.at().isBefore(current.at().minus(maxClockSkew));
    }
}
