package dev.impush.worker.pipeline;

import dev.impush.worker.dispatch.SendResult;
import dev.impush.worker.publish.Publication;

/** What comes back to the poll thread, through the pipeline's one inbox, from work done elsewhere. */
sealed interface Event {
    /** A send got its final result; {@code marked}: its dedupe transition is confirmed. */
    record Sent(Send send, SendResult result, boolean marked) implements Event {}

    /** A publication was acknowledged ({@code error == null}) or failed; {@code failures}: its earlier failed tries. */
    record Published(JobState job, Publication publication, int failures, Exception error) implements Event {}
}
