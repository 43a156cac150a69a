package dev.impush.detector.state;

import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.event.GatewayLease;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of the gateway-lease store in the public contract's format. Reading bytes that are not a
 * valid lease yields {@code null} (no lease): a restore copies the topic's raw records, including
 * ones the live processor skipped, and must not fail on them.
 */
public final class GatewayLeaseSerde implements Serde<GatewayLease> {
    private final ContractCodec<GatewayLease> codec = ContractCodec.gateways();

    @Override
    public Serializer<GatewayLease> serializer() {
        return (topic, lease) -> lease == null ? null : codec.encode(lease);
    }

    @Override
    public Deserializer<GatewayLease> deserializer() {
        return (topic, bytes) -> bytes != null && codec.decode(bytes) instanceof Decoded.Ok<GatewayLease> ok
                ? ok.value() : null;
    }
}
