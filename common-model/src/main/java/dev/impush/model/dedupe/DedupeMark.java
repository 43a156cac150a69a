package dev.impush.model.dedupe;

/**
 * What a {@link DedupeKey} holds in Redis: nothing (never claimed, or released), a claim of a worker
 * sending it now ({@code inflight:<worker>}, with a lease), or a mark of how it ended ({@code sent},
 * {@code done:<why>}), which keeps it from being sent again.
 */
public enum DedupeMark {
    /** Not claimed: it may be sent. */
    NONE,
    /** A worker is sending it, or died doing so (until the lease runs out). */
    IN_FLIGHT,
    /** The vendor accepted it. */
    SENT,
    /** It can never be sent (e.g. the token is invalid). */
    DONE;

    /** The prefix of a claim; the worker incarnation follows. */
    public static final String IN_FLIGHT_PREFIX = "inflight:";
    public static final String SENT_VALUE = "sent";
    /** The prefix of a terminal mark; why follows. */
    public static final String DONE_PREFIX = "done:";

    /** The state a key's value stands for; {@code null}: the key does not exist. */
    public static DedupeMark of(String value) {
        if (value == null) {
            return NONE;
        }
        if (value.startsWith(IN_FLIGHT_PREFIX)) {
            return IN_FLIGHT;
        }
        return value.startsWith(DONE_PREFIX) ? DONE : SENT;
    }

    /** Whether the delivery ended for good: sent, or never to be sent. */
    public boolean settled() {
        return this == SENT || this == DONE;
    }
}
