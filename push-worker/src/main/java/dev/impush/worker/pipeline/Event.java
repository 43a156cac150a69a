package dev.impush.worker.pipeline;

import dev.impush.worker.dispatch.SendResult;
import dev.impush.worker.publish.Publication;
import java.util.List;

/** What comes back to the poll thread, through the pipeline's one inbox, from work done elsewhere. */
sealed interface Event {
    /** A send got its final result from its channel. */
    record Answered(Send send, SendResult result) implements Event {}

    /** The dedupe transitions of {@code answers} were applied ({@code error == null}) or not. */
    record Marked(List<Answered> answers, Throwable error) implements Event {}

    /** A publication was acknowledged ({@code error == null}) or failed; {@code failures}: its earlier failed tries. */
    record Published(JobState job, Publication publication, int failures, Exception error) implements Event {}
}
