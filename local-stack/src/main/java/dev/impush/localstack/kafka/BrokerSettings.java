package dev.impush.localstack.kafka;

import java.nio.file.Path;
import java.util.Map;

/** Broker settings every local node shares, whatever its listeners and roles. */
final class BrokerSettings {
    private BrokerSettings() {}

    /**
     * Data in {@code dataDir}; new topics and Kafka's own (offsets, transactions) replicated
     * {@code replication} times, with {@code min.insync.replicas} 2 from 3 replicas up (as
     * {@code deploy/create-topics.sh} sets it), else 1.
     */
    static Map<String, String> common(Path dataDir, int replication) {
        String rf = Integer.toString(replication);
        String minIsr = replication >= 3 ? "2" : "1";
        return Map.ofEntries(
                Map.entry("log.dirs", dataDir.toString()),
                Map.entry("num.partitions", "4"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("default.replication.factor", rf),
                Map.entry("min.insync.replicas", minIsr),
                Map.entry("offsets.topic.replication.factor", rf),
                Map.entry("offsets.topic.num.partitions", "4"),
                Map.entry("transaction.state.log.replication.factor", rf),
                Map.entry("transaction.state.log.min.isr", minIsr),
                Map.entry("transaction.state.log.num.partitions", "4"),
                Map.entry("share.coordinator.state.topic.replication.factor", rf),
                Map.entry("share.coordinator.state.topic.min.isr", minIsr),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // sized for the small machines it runs on (defaults: 8 request handlers, 3 network
                // threads per listener), sharing their cores with the clients under test
                Map.entry("num.io.threads", "2"),
                Map.entry("num.network.threads", "1"),
                Map.entry("num.replica.fetchers", "1"),
                Map.entry("log.flush.interval.messages", Long.toString(Long.MAX_VALUE)),
                Map.entry("log.segment.bytes", Integer.toString(64 * 1024 * 1024)),
                // hostile-input tests produce 10 MB records, as a misbehaving client could
                Map.entry("message.max.bytes", Integer.toString(16 * 1024 * 1024)),
                Map.entry("replica.fetch.max.bytes", Integer.toString(16 * 1024 * 1024)));
    }
}
