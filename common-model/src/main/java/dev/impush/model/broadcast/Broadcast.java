package dev.impush.model.broadcast;

import dev.impush.model.Lane;
import dev.impush.model.Violations;
import dev.impush.model.event.ImEvent;
import dev.impush.model.event.MessageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One notification to many users. The detector expands it on every partition from the devices it
 * holds there, at {@link #ratePerSecond()} in all, into one push job per user (job id
 * {@code broadcast/<broadcastId>/<userId>}), so each device gets it once however often the broadcast
 * is sent, the detector restarts or a worker crashes.
 *
 * @param appId        only devices registered for this app are reached
 * @param ttlSeconds   how long after {@code at} the broadcast is still worth delivering; 0 = the detector's default
 * @param ratePerSecond devices per second across all partitions; 0 = the detector's default
 * @param lane         {@code bulk} (default): behind every chat push; {@code chat} for the rare urgent notice
 * @param offlineOnly  only devices whose long connection is down (default false: every device)
 * @param at           when to start (absent: when the detector reads it); also what the lifetime counts from
 */
public record Broadcast(
        int v,
        String broadcastId,
        String appId,
        Audience audience,
        BroadcastContent notification,
        long ttlSeconds,
        long ratePerSecond,
        Lane lane,
        boolean offlineOnly,
        Instant at) implements BroadcastCommand {

    /** Highest rate a broadcast may ask for. */
    public static final long MAX_RATE = 10_000_000;

    /** The lane to publish on: {@link Lane#BULK} unless told. */
    public Lane laneOrDefault() {
        return lane == null ? Lane.BULK : lane;
    }

    @Override
    public List<String> violations() {
        List<String> all = new ArrayList<>(new Violations()
                .required("broadcastId", broadcastId).maxLength("broadcastId", broadcastId, MAX_ID_LENGTH)
                .required("appId", appId).maxLength("appId", appId, ImEvent.MAX_ID_LENGTH)
                .required("audience", audience).required("notification", notification)
                .range("ttlSeconds", ttlSeconds, 0, MessageEvent.MAX_TTL_SECONDS)
                .range("ratePerSecond", ratePerSecond, 0, MAX_RATE)
                .time("at", at).messages());
        if (audience != null) {
            all.addAll(audience.violations());
        }
        if (notification != null) {
            all.addAll(notification.violations());
        }
        return all;
    }
}
