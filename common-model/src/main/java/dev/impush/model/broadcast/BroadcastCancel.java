package dev.impush.model.broadcast;

import dev.impush.model.Violations;
import java.time.Instant;
import java.util.List;

/**
 * Stops a broadcast: every detector task stops emitting its jobs at its next step. Jobs already
 * published are still delivered. A cancel that arrives before its broadcast keeps that broadcast from
 * ever starting.
 */
public record BroadcastCancel(int v, String broadcastId, Instant at) implements BroadcastCommand {
    @Override
    public List<String> violations() {
        return new Violations().required("broadcastId", broadcastId)
                .maxLength("broadcastId", broadcastId, MAX_ID_LENGTH).time("at", at).messages();
    }
}
