package dev.impush.worker.publish;

import dev.impush.model.deadletter.Attempt;
import dev.impush.model.job.PushJob;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * A job going round again: to {@code topic}, narrowed to the devices that failed, with what its
 * headers carry (see {@link dev.impush.model.job.JobHeaders}).
 *
 * @param attempt       vendor attempts so far
 * @param due           not to be taken before then
 * @param untilRecovery let out as soon as its channel's breaker closes again
 * @param held          times in a row it was parked by an open breaker
 * @param firstFailure  what went wrong first, for operators
 * @param attempts      the attempts so far, the most recent first kept
 * @param origin        the headers of the record it came from (its trace context goes on)
 */
public record RetryRecord(String topic, byte[] key, PushJob job, int attempt, Instant due, boolean untilRecovery,
                          int held, String firstFailure, List<Attempt> attempts, Headers origin) {}
