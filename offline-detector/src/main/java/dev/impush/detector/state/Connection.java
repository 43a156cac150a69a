package dev.impush.detector.state;

import java.time.Instant;

/**
 * A device's long connection.
 *
 * @param gatewayId   the gateway holding it
 * @param since       the {@code at} of the presence event that reported it, on the gateway's clock:
 *                    orders the presence events of the device
 * @param incarnation the gateway incarnation holding it, {@code null} when unknown
 * @param recordedAt  when the detector recorded it, on its own clock
 */
public record Connection(String gatewayId, Instant since, String incarnation, Instant recordedAt) {

    public Connection {
        // recorded by an earlier release, which kept only the event's time
        if (recordedAt == null) {
            recordedAt = since;
        }
    }

    /** A connection of an unknown incarnation, recorded at {@code since}. */
    public Connection(String gatewayId, Instant since) {
        this(gatewayId, since, null, since);
    }

    /**
     * What the connection's age counts from: the earlier of {@link #since} and {@link #recordedAt}, so
     * neither a gateway clock running ahead nor a detector catching up on a backlog makes it younger.
     */
    public Instant ageFrom() {
        return since == null || recordedAt.isBefore(since) ? recordedAt : since;
    }
}
