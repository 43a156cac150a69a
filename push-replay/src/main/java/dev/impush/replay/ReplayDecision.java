package dev.impush.replay;

import dev.impush.model.job.PushJob;

/** What a run does with one dead letter; a dry run and {@code --execute} get the same answer. */
sealed interface ReplayDecision {

    /** Republish {@code job}: the letter's job narrowed to the devices not yet delivered. */
    record Replay(PushJob job) implements ReplayDecision {}

    /** Leave the letter, and say why. */
    record Skip(String why) implements ReplayDecision {}
}
