package dev.impush.detector.processor;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.LeaseReceipt;
import dev.impush.detector.state.DetectorStores;
import dev.impush.detector.state.ReceivedLease;
import dev.impush.model.codec.ContractCodec;
import dev.impush.model.codec.Decoded;
import dev.impush.model.event.GatewayLease;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global gateway-lease store: a valid heartbeat that is newer than the stored lease (see
 * {@link LeaseReceipt}) replaces it, stamped with when the detector received it; a tombstone removes
 * it; an unreadable record is counted and skipped (the old lease then simply runs out).
 *
 * <p>Kafka Streams also runs this processor when it rebuilds the store from the topic (Kafka 3.8+
 * reprocesses records of a store added with {@code Topology#addGlobalStore} on restore), with each
 * record's own timestamp and the wall clock of the rebuild: {@link LeaseReceipt#receivedAt} keeps old
 * records from counting as fresh heartbeats.
 */
public final class GatewayLeaseProcessor implements Processor<String, byte[], Void, Void> {
    private final ContractCodec<GatewayLease> codec = ContractCodec.gateways();
    private final LeaseReceipt receipt;
    private final DetectorMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, ReceivedLease> leases;

    public GatewayLeaseProcessor(LeaseReceipt receipt, DetectorMetrics metrics) {
        this.receipt = receipt;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
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
                // keyed by the record key, as a compacted topic keeps it
                if (!record.key().equals(ok.value().gatewayId())) {
                    metrics.gatewayInvalid("key-mismatch");
                    return;
                }
                if (receipt.replaces(leases.get(record.key()), ok.value())) {
                    Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
                    leases.put(record.key(), ReceivedLease.of(ok.value(), receipt.receivedAt(record.timestamp(), now)));
                }
            }
            case Decoded.Invalid<GatewayLease> invalid -> metrics.gatewayInvalid(invalid.reason().wireName());
        }
    }
}
