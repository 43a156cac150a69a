package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.state.DetectorStores;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.event.GatewayLease;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global gateway-lease store: a valid lease replaces the gateway's previous one, a
 * tombstone removes it, an unreadable record is counted and skipped (the old lease then simply
 * runs out). A lease older than the stored one is ignored, so a replayed heartbeat cannot revive a gateway.
 */
public final class GatewayLeaseProcessor implements Processor<String, byte[], Void, Void> {
    private final ContractCodec<GatewayLease> codec = ContractCodec.gateways();
    private final DetectorMetrics metrics;
    private KeyValueStore<String, GatewayLease> leases;

    public GatewayLeaseProcessor(DetectorMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        leases = context.getStateStore(DetectorStores.GATEWAY_LEASES);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            metrics.gatewayInvalid("missing-key");
            return;
        }
        if (record.value() == null) {
            leases.delete(record.key());
            return;
        }
        switch (codec.decode(record.value())) {
            case Decoded.Ok<GatewayLease> ok -> {
                // keyed by the record key, as a restore (which copies the topic) would key it
                if (!record.key().equals(ok.value().gatewayId())) {
                    metrics.gatewayInvalid("key-mismatch");
                    return;
                }
                GatewayLease current = leases.get(record.key());
                if (current == null || !current.at().isAfter(ok.value().at())) {
                    leases.put(record.key(), ok.value());
                }
            }
            case Decoded.Invalid<GatewayLease> invalid -> metrics.gatewayInvalid(invalid.reason().wireName());
        }
    }
}
