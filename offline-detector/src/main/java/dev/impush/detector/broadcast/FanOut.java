package dev.impush.detector.broadcast;

import dev.impush.detector.logic.Liveness;
import dev.impush.detector.processor.PlacementCheck;
import dev.impush.detector.state.Connection;
import dev.impush.detector.state.DetectorStores;
import dev.impush.detector.state.ReceivedLease;
import dev.impush.detector.state.RegisteredDevice;
import dev.impush.detector.state.UserConnections;
import dev.impush.detector.state.UserDevices;
import dev.impush.detector.state.UserMutes;
import dev.impush.detector.state.UserTags;
import dev.impush.model.broadcast.Audience;
import dev.impush.model.broadcast.Broadcast;
import dev.impush.model.broadcast.BroadcastRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One step of a broadcast on one partition: walks the audience from where the last step stopped
 * (users in key order of the devices store, of the tags store, or down the user list) and emits a
 * job per user with devices of the broadcast's app, until the step's device budget is spent. The
 * walk is bounded twice: by devices emitted and by users looked at, so a tag that few users carry
 * cannot make one step read the whole store.
 */
final class FanOut {
    /** Users a step may look at per device it may emit. */
    private static final int SCAN_PER_DEVICE = 4;

    private final KeyValueStore<String, UserDevices> devices;
    private final KeyValueStore<String, UserTags> tags;
    private final KeyValueStore<String, UserMutes> mutes;
    private final KeyValueStore<String, UserConnections> connections;
    private final KeyValueStore<String, ReceivedLease> leases;
    private final Liveness liveness;
    private final int partition;
    private final int partitions;

    /** @param partitions the partition count of the events topic, over which user ids are hashed */
    FanOut(ProcessingContext context, Liveness liveness, int partitions) {
        this.devices = context.getStateStore(DetectorStores.DEVICES);
        this.tags = context.getStateStore(DetectorStores.TAGS);
        this.mutes = context.getStateStore(DetectorStores.MUTES);
        this.connections = context.getStateStore(DetectorStores.CONNECTIONS);
        this.leases = context.getStateStore(DetectorStores.GATEWAY_LEASES);
        this.liveness = liveness;
        this.partition = context.taskId().partition();
        this.partitions = partitions;
    }

    /** Users {@code audience} has on this partition: counted for a list, the store's estimate otherwise. */
    long planned(Audience audience) {
        return switch (audience.form()) {
            case ALL -> devices.approximateNumEntries();
            case TAG -> tags.approximateNumEntries();
            case USERS -> audience.users().stream().filter(u -> PlacementCheck.partitionFor(u, partitions) == partition)
                    .count();
        };
    }

    /** Takes the devices of one user that get the broadcast. */
    @FunctionalInterface
    interface Emitter {
        void emit(String userId, List<RegisteredDevice> devices);
    }

    /** Walks {@code run} on, emitting jobs for about {@code budget} devices (a user's devices go together). */
    BroadcastRun step(BroadcastRun run, Broadcast broadcast, long budget, Instant now, Emitter emit) {
        Walk walk = new Walk(run, broadcast, budget, now, emit);
        Audience audience = broadcast.audience();
        boolean walkedAll = switch (audience.form()) {
            case ALL -> walk.keyed(devices, run.cursor(), (user, d) -> d);
            case TAG -> walk.keyed(tags, run.cursor(), (user, t) -> t.has(audience.tag()) ? devices.get(user) : null);
            case USERS -> walk.listed(audience.users());
        };
        return run.advanced(walk.cursor, walk.nextUser, walk.users, walk.emitted, walk.skipped, walkedAll, now);
    }

    private interface DevicesOf<V> {
        /** The user's devices if the user is in the audience, else {@code null}. */
        UserDevices of(String userId, V stored);
    }

    private final class Walk {
        private final Broadcast broadcast;
        private final Instant now;
        private final Emitter emit;
        private long budget;
        private long scanBudget;
        String cursor;
        int nextUser;
        long users;
        long emitted;
        long skipped;

        Walk(BroadcastRun run, Broadcast broadcast, long budget, Instant now, Emitter emit) {
            this.broadcast = broadcast;
            this.budget = budget;
            this.scanBudget = budget * SCAN_PER_DEVICE;
            this.now = now;
            this.emit = emit;
            this.cursor = run.cursor();
            this.nextUser = run.nextUser();
        }

        private boolean spent() {
            return budget <= 0 || scanBudget <= 0;
        }

        /** Walks a store keyed by user id after {@code from}; true when it reached the end. */
        <V> boolean keyed(KeyValueStore<String, V> store, String from, DevicesOf<V> devicesOf) {
            try (KeyValueIterator<String, V> it = from == null ? store.all() : store.range(from, null)) {
                while (!spent() && it.hasNext()) {
                    KeyValue<String, V> next = it.next();
                    if (next.key.equals(from)) {
                        continue; // walked by the step before
                    }
                    cursor = next.key;
                    visit(next.key, devicesOf.of(next.key, next.value));
                }
                return !it.hasNext();
            }
        }

        /** Walks the listed users that live on this partition; true when it reached the end of the list. */
        boolean listed(List<String> list) {
            while (!spent() && nextUser < list.size()) {
                String user = list.get(nextUser++);
                if (PlacementCheck.partitionFor(user, partitions) == partition) {
                    visit(user, devices.get(user));
                }
            }
            return nextUser >= list.size();
        }

        private void visit(String userId, UserDevices all) {
            scanBudget--;
            users++;
            if (all == null || all.isEmpty()) {
                return;
            }
            List<RegisteredDevice> targets = new ArrayList<>(all.byDevice().size());
            for (RegisteredDevice d : all.byDevice().values()) {
                if (d.appId().equals(broadcast.appId()) && !d.voip()) { // a VoIP token gets calls only
                    targets.add(d);
                }
            }
            if (targets.isEmpty()) {
                return;
            }
            if (UserMutes.orNone(mutes.get(userId)).mutes(null, now)) {
                skipped += targets.size();
                return;
            }
            if (broadcast.offlineOnly()) {
                int before = targets.size();
                UserConnections conns = UserConnections.orNone(connections.get(userId));
                targets.removeIf(d -> isLive(conns, d));
                skipped += before - targets.size();
            }
            if (!targets.isEmpty()) {
                emit.emit(userId, targets);
                emitted += targets.size();
                budget -= targets.size();
            }
        }

        private boolean isLive(UserConnections conns, RegisteredDevice d) {
            Connection c = conns.get(d.deviceId()).orElse(null);
            return c != null && liveness.isLive(c, c.gatewayId() == null ? null : leases.get(c.gatewayId()), now);
        }
    }
}
