package dev.impush.detector.processor;

import dev.impush.detector.state.AckDeadline;
import dev.impush.detector.state.DetectorStores;
import dev.impush.detector.state.ReceivedLease;
import dev.impush.detector.state.UserConnections;
import dev.impush.detector.state.UserDevices;
import dev.impush.detector.state.UserMutes;
import dev.impush.detector.state.UserPending;
import dev.impush.detector.state.UserTags;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Typed access to the detector's stores for one task. Empty values are deleted rather than stored,
 * so the stores (and their changelogs) hold only users with something to remember.
 */
final class UserState {
    private final KeyValueStore<String, UserDevices> devices;
    private final KeyValueStore<String, UserConnections> connections;
    private final KeyValueStore<String, UserPending> pending;
    private final KeyValueStore<String, AckDeadline> deadlines;
    private final KeyValueStore<String, UserMutes> mutes;
    private final KeyValueStore<String, UserTags> tags;
    private final KeyValueStore<String, ReceivedLease> leases;
    /**
     * Every deadline before this was handled by an earlier {@link #due} scan, so the next one starts
     * here. Handled deadlines are deleted, and RocksDB keeps a tombstone for each until compaction:
     * a scan from the start of the index would step over all of them, every punctuation, and slow
     * down as the detector runs.
     */
    private long scanFrom;

    UserState(ProcessingContext context) {
        devices = context.getStateStore(DetectorStores.DEVICES);
        connections = context.getStateStore(DetectorStores.CONNECTIONS);
        pending = context.getStateStore(DetectorStores.PENDING_ACKS);
        deadlines = context.getStateStore(DetectorStores.ACK_DEADLINES);
        mutes = context.getStateStore(DetectorStores.MUTES);
        tags = context.getStateStore(DetectorStores.TAGS);
        leases = context.getStateStore(DetectorStores.GATEWAY_LEASES);
    }

    UserDevices devices(String userId) {
        return UserDevices.orNone(devices.get(userId));
    }

    void put(String userId, UserDevices value) {
        write(devices, userId, value, value.isEmpty());
    }

    UserConnections connections(String userId) {
        return UserConnections.orNone(connections.get(userId));
    }

    void put(String userId, UserConnections value) {
        write(connections, userId, value, value.isEmpty());
    }

    UserPending pending(String userId) {
        return UserPending.orNone(pending.get(userId));
    }

    void put(String userId, UserPending value) {
        write(pending, userId, value, value.isEmpty());
    }

    UserMutes mutes(String userId) {
        return UserMutes.orNone(mutes.get(userId));
    }

    void put(String userId, UserMutes value) {
        write(mutes, userId, value, value.isEmpty());
    }

    UserTags tags(String userId) {
        return UserTags.orNone(tags.get(userId));
    }

    void put(String userId, UserTags value) {
        write(tags, userId, value, value.isEmpty());
    }

    /** The gateway's last lease, {@code null} when none is known. */
    ReceivedLease lease(String gatewayId) {
        return gatewayId == null ? null : leases.get(gatewayId);
    }

    void schedule(AckDeadline deadline, Instant at) {
        deadlines.put(deadline.key(at), deadline);
        scanFrom = Math.min(scanFrom, at.toEpochMilli()); // defensive: deadlines start at or after the horizon
    }

    void cancel(AckDeadline deadline, Instant at) {
        deadlines.delete(deadline.key(at));
    }

    void deleteDeadline(String key) {
        deadlines.delete(key);
    }

    /**
     * Up to {@code limit} index entries due at or before {@code now} (the ack clock's horizon), oldest
     * first, copied out: the caller rewrites the stores, which must not happen while an iterator is open.
     */
    List<KeyValue<String, AckDeadline>> due(Instant now, int limit) {
        List<KeyValue<String, AckDeadline>> due = new ArrayList<>();
        try (KeyValueIterator<String, AckDeadline> it =
                     deadlines.range(AckDeadline.lowerBound(scanFrom), AckDeadline.upperBound(now))) {
            while (it.hasNext() && due.size() < limit) {
                due.add(it.next());
            }
        }
        if (due.size() < limit) {
            // all due up to now are in hand (the caller handles each); with the limit reached, the
            // rest waits and the next scan starts where this one did
            scanFrom = Math.max(scanFrom, now.toEpochMilli() + 1);
        }
        return due;
    }

    private static <V> void write(KeyValueStore<String, V> store, String userId, V value, boolean empty) {
        if (empty) {
            store.delete(userId);
        } else {
            store.put(userId, value);
        }
    }
}
