package dev.impush.detector.processor;

import dev.impush.model.job.PushJob;
import java.time.Instant;

/** Where handlers publish the jobs they make (the jobs topic, with origin {@code detected}). */
@FunctionalInterface
interface JobSink {
    void emit(PushJob job, String trigger, Instant now);
}
