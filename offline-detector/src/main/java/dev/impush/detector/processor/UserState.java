package dev.impush.detector.processor;

import dev.impush.detector.state.AckDeadline;
import dev.impush.detector.state.DetectorStores;
import dev.impush.detector.state.Hold;
import dev.impush.detector.state.HoldDue;
import dev.impush.detector.state.ReceivedLease;
import dev.impush.detector.state.UserConnections;
import dev.impush.detector.state.UserDevices;
import dev.impush.detector.state.UserMutes;
import dev.impush.detector.state.UserPending;
import dev.impush.detector.state.UserPreferences;
import dev.impush.detector.state.UserReadClears;
import dev.impush.detector.state.UserTags;
import dev.impush.detector.state.UserUnread;
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
    private final DueIndex<AckDeadline> deadlines;
    private final KeyValueStore<String, UserUnread> unread;
    private final KeyValueStore<String, UserPreferences> preferences;
    private final KeyValueStore<String, UserReadClears> readClears;
    private final KeyValueStore<String, Hold> holds;
    private final DueIndex<HoldDue> holdsDue;
    private final KeyValueStore<String, UserMutes> mutes;
    private final KeyValueStore<String, UserTags> tags;
    private final KeyValueStore<String, ReceivedLease> leases;

    UserState(ProcessingContext context) {
        devices = context.getStateStore(DetectorStores.DEVICES);
        connections = context.getStateStore(DetectorStores.CONNECTIONS);
        pending = context.getStateStore(DetectorStores.PENDING_ACKS);
        deadlines = new DueIndex<>(context.getStateStore(DetectorStores.ACK_DEADLINES));
        unread = context.getStateStore(DetectorStores.UNREAD);
        preferences = context.getStateStore(DetectorStores.PREFERENCES);
        readClears = context.getStateStore(DetectorStores.READ_CLEARS);
        holds = context.getStateStore(DetectorStores.HOLDS);
        holdsDue = new DueIndex<>(context.getStateStore(DetectorStores.HOLD_DUE));
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

    UserUnread unread(String userId) {
        return UserUnread.orNone(unread.get(userId));
    }

    void put(String userId, UserUnread value) {
        write(unread, userId, value, value.isEmpty());
    }

    UserReadClears readClears(String userId) {
        return UserReadClears.orNone(readClears.get(userId));
    }

    void put(String userId, UserReadClears value) {
        write(readClears, userId, value, value.isEmpty());
    }

    /** The user's preferences, {@code null} when none were set. */
    UserPreferences preferences(String userId) {
        return preferences.get(userId);
    }

    void put(String userId, UserPreferences value) {
        preferences.put(userId, value);
    }

    /** The gateway's last lease, {@code null} when none is known. */
    ReceivedLease lease(String gatewayId) {
        return gatewayId == null ? null : leases.get(gatewayId);
    }

    void schedule(AckDeadline deadline, Instant at) {
        deadlines.put(deadline.key(at), deadline, at);
    }

    void cancel(AckDeadline deadline, Instant at) {
        deadlines.store.delete(deadline.key(at));
    }

    void deleteDeadline(String key) {
        deadlines.store.delete(key);
    }

    /** Up to {@code limit} ack-index entries due at or before {@code now} (the ack clock's horizon): see {@link DueIndex#due}. */
    List<KeyValue<String, AckDeadline>> due(Instant now, int limit) {
        return deadlines.due(now, limit);
    }

    /** {@code userId}'s coalescing window in {@code conversationId}, {@code null} when none is open. */
    Hold hold(String userId, String conversationId) {
        return holds.get(Hold.key(userId, conversationId));
    }

    /** Stores the window and indexes its end (the caller drops the entry of its previous end). */
    void put(HoldDue ref, Hold hold) {
        holds.put(Hold.key(ref.userId(), ref.conversationId()), hold);
        holdsDue.put(ref.key(hold.windowEnd()), ref, hold.windowEnd());
    }

    void close(HoldDue ref) {
        holds.delete(Hold.key(ref.userId(), ref.conversationId()));
    }

    void deleteHoldDue(String key) {
        holdsDue.store.delete(key);
    }

    /** Up to {@code limit} coalescing windows that end at or before {@code now}: see {@link DueIndex#due}. */
    List<KeyValue<String, HoldDue>> holdsDue(Instant now, int limit) {
        return holdsDue.due(now, limit);
    }

    private static <V> void write(KeyValueStore<String, V> store, String userId, V value, boolean empty) {
        if (empty) {
            store.delete(userId);
        } else {
            store.put(userId, value);
        }
    }

    /** A store whose keys begin with a time ({@link AckDeadline#lowerBound}), scanned in time order. */
    private static final class DueIndex<V> {
        final KeyValueStore<String, V> store;
        /**
         * Every entry before this was handled by an earlier {@link #due} scan, so the next one starts
         * here. Handled entries are deleted, and RocksDB keeps a tombstone for each until compaction:
         * a scan from the start of the index would step over all of them, every punctuation, and slow
         * down as the detector runs.
         */
        private long scanFrom;

        DueIndex(KeyValueStore<String, V> store) {
            this.store = store;
        }

        void put(String key, V value, Instant at) {
            store.put(key, value);
            scanFrom = Math.min(scanFrom, at.toEpochMilli()); // defensive: entries start at or after the horizon
        }

        /**
         * Up to {@code limit} entries due at or before {@code now}, oldest first, copied out: the caller
         * rewrites the stores, which must not happen while an iterator is open.
         */
        List<KeyValue<String, V>> due(Instant now, int limit) {
            List<KeyValue<String, V>> due = new ArrayList<>();
            try (KeyValueIterator<String, V> it =
                         store.range(AckDeadline.lowerBound(scanFrom), AckDeadline.upperBound(now))) {
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
    }
}
