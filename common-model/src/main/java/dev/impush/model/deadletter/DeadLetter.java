package dev.impush.model.deadletter;

import dev.impush.model.Contract;
import dev.impush.model.Violations;
import dev.impush.model.job.PushJob;
import java.time.Instant;
import java.util.List;

/**
 * A record on {@code push.dlq}. For a job that could not be delivered, {@link #job()} holds it,
 * narrowed to the devices that failed, so it can be replayed as it is. For input that could not
 * be read, {@link #rawBase64()} holds its bytes (cut to a bounded size, see {@link #rawTruncated()}).
 *
 * @param source   where the record came from (topic, partition, offset, key)
 * @param attempts every send attempt made before giving up, oldest first
 * @param stoppedBy the worker or service instance that gave up on it
 */
public record DeadLetter(
        int v,
        String type,
        DeadLetterReason reason,
        String detail,
        Source source,
        PushJob job,
        String rawBase64,
        boolean rawTruncated,
        List<Attempt> attempts,
        String stoppedBy,
        Instant at) implements Contract {

    public static final String TYPE = "dead-letter";

    /** Where the dead-lettered record was read. */
    public record Source(String topic, int partition, long offset, String key) {}

    public DeadLetter {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    public static DeadLetter ofJob(DeadLetterReason reason, String detail, Source source, PushJob job,
                                   List<Attempt> attempts, String stoppedBy, Instant at) {
        return new DeadLetter(VERSION, TYPE, reason, detail, source, job, null, false, attempts, stoppedBy, at);
    }

    public static DeadLetter ofRaw(DeadLetterReason reason, String detail, Source source, byte[] raw,
                                   int maxRawBytes, String stoppedBy, Instant at) {
        byte[] kept = raw == null ? new byte[0] : raw;
        boolean truncated = kept.length > maxRawBytes;
        if (truncated) {
            kept = java.util.Arrays.copyOf(kept, maxRawBytes);
        }
        return new DeadLetter(VERSION, TYPE, reason, detail, source, null,
                java.util.Base64.getEncoder().encodeToString(kept), truncated, List.of(), stoppedBy, at);
    }

    @Override
    public List<String> violations() {
        return new Violations().check(TYPE.equals(type), "type must be '" + TYPE + "'")
                .required("reason", reason).required("at", at).messages();
    }
}
