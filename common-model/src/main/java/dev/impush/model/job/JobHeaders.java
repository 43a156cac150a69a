package dev.impush.model.job;

import dev.impush.model.codec.Json;
import dev.impush.model.deadletter.Attempt;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Kafka headers a push job carries besides its body. */
public final class JobHeaders {
    /** How many times this job was attempted before (decimal string, absent = 0). */
    public static final String ATTEMPT = "impush-attempt";
    /** Why the first attempt failed, when it did. */
    public static final String FIRST_FAILURE = "impush-first-failure";
    /** {@link Origin} of the record. */
    public static final String ORIGIN = "impush-origin";
    /** On retry-tier records: when the job may be tried again (epoch milliseconds). */
    public static final String DUE_AT = "impush-due-at";
    /**
     * On parking-topic records: {@link #RELEASE_ON_RECOVERY} when the record waits for its channel's
     * breaker, so a worker takes it as soon as the breaker closes again, before it is due.
     */
    public static final String RELEASE_ON = "impush-release-on";
    public static final String RELEASE_ON_RECOVERY = "recovery";
    /** On parking-topic records: how many times in a row the job was parked by an open breaker (decimal). */
    public static final String HELD = "impush-held";
    /** Every attempt made so far, oldest first (JSON array of {@link Attempt}). */
    public static final String ATTEMPTS = "impush-attempts";

    /**
     * The W3C trace context (traceparent, tracestate) of the IM event a job came from: the detector
     * copies it from the event's record onto the job's, the worker onto every retry of the job and
     * onto its vendor requests, so one message can be followed end to end.
     */
    public static final List<String> TRACE = List.of("traceparent", "tracestate");

    /** Where a job record came from. */
    public enum Origin { DETECTED, RETRY, REPLAY }

    private JobHeaders() {}

    /** Times the job was attempted before; absent or unreadable = 0. */
    public static int attempt(Headers headers) {
        return count(headers, ATTEMPT);
    }

    /** Times in a row the record was parked by an open breaker; absent or unreadable = 0. */
    public static int held(Headers headers) {
        return count(headers, HELD);
    }

    private static int count(Headers headers, String name) {
        String s = string(headers, name);
        try {
            return s == null ? 0 : Math.max(0, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public static Origin origin(Headers headers) {
        String s = string(headers, ORIGIN);
        try {
            return s == null ? Origin.DETECTED : Origin.valueOf(s);
        } catch (IllegalArgumentException e) {
            return Origin.DETECTED;
        }
    }

    /** When a retry-tier record is due; absent = now. */
    public static Optional<Instant> dueAt(Headers headers) {
        String s = string(headers, DUE_AT);
        try {
            return s == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(Long.parseLong(s)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The attempt history carried by the record; unreadable or absent = none. */
    public static List<Attempt> attempts(Headers headers) {
        Header h = headers.lastHeader(ATTEMPTS);
        if (h == null || h.value() == null) {
            return List.of();
        }
        try {
            return List.of(Json.mapper().readValue(h.value(), Attempt[].class));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    public static void setAttempts(Headers headers, List<Attempt> attempts) {
        headers.remove(ATTEMPTS);
        headers.add(ATTEMPTS, Json.write(attempts));
    }

    /** Copies the {@link #TRACE} headers of {@code from} (those it has) onto {@code to}. */
    public static void copyTrace(Headers from, Headers to) {
        for (String name : TRACE) {
            Header h = from.lastHeader(name);
            if (h != null && h.value() != null) {
                to.remove(name);
                to.add(name, h.value());
            }
        }
    }

    public static String string(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static void set(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
