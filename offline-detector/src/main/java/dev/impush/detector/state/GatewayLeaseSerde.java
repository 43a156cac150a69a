package dev.impush.detector.state;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of the global gateway-lease store: {@link ReceivedLease} in the binary state format
 * ({@link StateCodecs#LEASE}). Earlier releases stored the heartbeat in the public contract's JSON;
 * that still reads (as a lease received at its {@code at}).
 *
 * <p>Unlike the user stores, a value that cannot be read yields {@code null} (no lease) instead of
 * failing: the store is only a cache of the gateways topic, which the gateway's next heartbeat
 * refreshes, and an older Kafka Streams restored global stores by copying the topic's raw records,
 * including ones the processor would have skipped.
 */
public final class GatewayLeaseSerde implements Serde<ReceivedLease> {
    private final StateSerde<ReceivedLease> state = new StateSerde<>(StateCodecs.LEASE);

    @Override
    public Serializer<ReceivedLease> serializer() {
        return state.serializer();
    }

    @Override
    public Deserializer<ReceivedLease> deserializer() {
        Deserializer<ReceivedLease> strict = state.deserializer();
        return (topic, bytes) -> {
            try {
                ReceivedLease lease = strict.deserialize(topic, bytes);
                return lease == null || lease.receivedAt() == null ? null : lease; // JSON, but not a lease
            } catch (SerializationException e) {
                return null;
            }
        };
    }
}
