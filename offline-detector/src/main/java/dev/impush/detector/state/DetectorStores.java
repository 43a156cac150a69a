package dev.impush.detector.state;

import dev.impush.model.broadcast.Broadcast;
import dev.impush.model.broadcast.BroadcastRun;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Names and builders of the detector's state stores. The names are part of the deployment: they
 * name the changelog topics ({@code <applicationId>-<store>-changelog}), so renaming one loses its state.
 */
public final class DetectorStores {
    /** userId → {@link UserDevices}. */
    public static final String DEVICES = "detector-devices";
    /** userId → {@link UserConnections}. */
    public static final String CONNECTIONS = "detector-connections";
    /** userId → {@link UserPending}. */
    public static final String PENDING_ACKS = "detector-pending-acks";
    /** deadline|userId|messageId|deviceId → {@link AckDeadline}: pending acks in deadline order. */
    public static final String ACK_DEADLINES = "detector-ack-deadlines";
    /** userId → {@link UserMutes}. */
    public static final String MUTES = "detector-mutes";
    /** userId → {@link UserTags}. */
    public static final String TAGS = "detector-user-tags";
    /** userId → {@link UserReadClears}: when each conversation was last cleared on the other devices. */
    public static final String READ_CLEARS = "detector-read-clears";
    /** userId → {@link UserPreferences}: quiet hours. */
    public static final String PREFERENCES = "detector-preferences";
    /** userId → {@link UserUnread}: unread messages by conversation, for the badge. */
    public static final String UNREAD = "detector-unread";
    /** userId|conversationId → {@link Hold}: coalescing windows (see {@link Hold#key}). */
    public static final String HOLDS = "detector-coalesce-holds";
    /** windowEnd|userId|conversationId → {@link HoldDue}: coalescing windows in end order. */
    public static final String HOLD_DUE = "detector-coalesce-due";
    /** broadcastId → the broadcast's progress on this partition ({@link BroadcastRun}). */
    public static final String BROADCASTS = BroadcastRun.STORE;
    /** broadcastId → the {@link Broadcast} being fanned out (until it ends). */
    public static final String BROADCAST_DEFINITIONS = "detector-broadcast-definitions";
    /** gatewayId → {@link ReceivedLease}, a global store fed by the gateways topic. */
    public static final String GATEWAY_LEASES = "detector-gateway-leases";

    private DetectorStores() {}

    public static StoreBuilder<KeyValueStore<String, UserDevices>> devices() {
        return userStore(DEVICES, new StateSerde<>(StateCodecs.DEVICES));
    }

    public static StoreBuilder<KeyValueStore<String, UserConnections>> connections() {
        return userStore(CONNECTIONS, new StateSerde<>(StateCodecs.CONNECTIONS));
    }

    public static StoreBuilder<KeyValueStore<String, UserPending>> pendingAcks() {
        return userStore(PENDING_ACKS, new StateSerde<>(StateCodecs.PENDING));
    }

    public static StoreBuilder<KeyValueStore<String, AckDeadline>> ackDeadlines() {
        return userStore(ACK_DEADLINES, new StateSerde<>(StateCodecs.DEADLINE));
    }

    public static StoreBuilder<KeyValueStore<String, UserMutes>> mutes() {
        return userStore(MUTES, new StateSerde<>(StateCodecs.MUTES));
    }

    public static StoreBuilder<KeyValueStore<String, UserTags>> tags() {
        return userStore(TAGS, new StateSerde<>(StateCodecs.TAGS));
    }

    public static StoreBuilder<KeyValueStore<String, UserReadClears>> readClears() {
        return userStore(READ_CLEARS, new StateSerde<>(StateCodecs.READ_CLEARS));
    }

    public static StoreBuilder<KeyValueStore<String, UserPreferences>> preferences() {
        return userStore(PREFERENCES, new StateSerde<>(StateCodecs.PREFERENCES));
    }

    public static StoreBuilder<KeyValueStore<String, UserUnread>> unread() {
        return userStore(UNREAD, new StateSerde<>(StateCodecs.UNREAD));
    }

    public static StoreBuilder<KeyValueStore<String, Hold>> holds() {
        return userStore(HOLDS, new StateSerde<>(StateCodecs.HOLD));
    }

    public static StoreBuilder<KeyValueStore<String, HoldDue>> holdDue() {
        return userStore(HOLD_DUE, new StateSerde<>(StateCodecs.HOLD_DUE));
    }

    /** Few and small, written once per step: JSON is plenty. */
    public static StoreBuilder<KeyValueStore<String, BroadcastRun>> broadcasts() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BROADCASTS), Serdes.String(),
                JsonSerde.of(BroadcastRun.class));
    }

    public static StoreBuilder<KeyValueStore<String, Broadcast>> broadcastDefinitions() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(BROADCAST_DEFINITIONS), Serdes.String(),
                JsonSerde.of(Broadcast.class));
    }

    /**
     * No changelog: the topic is the log. Kafka Streams rebuilds the store by passing the topic through
     * {@link dev.impush.detector.processor.GatewayLeaseProcessor} again (not by copying its bytes), so
     * the values are the detector's own {@link ReceivedLease}; {@link GatewayLeaseSerde} still reads the
     * contract JSON that earlier releases stored.
     */
    public static StoreBuilder<KeyValueStore<String, ReceivedLease>> gatewayLeases() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GATEWAY_LEASES), Serdes.String(),
                new GatewayLeaseSerde()).withLoggingDisabled();
    }

    private static <V> StoreBuilder<KeyValueStore<String, V>> userStore(String name, StateSerde<V> values) {
        // Changelogged (the default): the store is rebuilt from Kafka when a task moves. Cached: reads of
        // a user's hot state skip RocksDB, and the writes of one commit interval reach RocksDB and the
        // changelog once per key (a message, its routed and its acked usually fall in one interval).
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values)
                .withCachingEnabled();
    }
}
