package dev.impush.model.job;

import java.nio.charset.StandardCharsets;
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

    /** Where a job record came from. */
    public enum Origin { DETECTED, RETRY, REPLAY }

    private JobHeaders() {}

    public static int attempt(Headers headers) {
        String s = string(headers, ATTEMPT);
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

    public static String string(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    public static void set(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
