package dev.impush.runtime.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ConnectionIntent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The Redis a service uses, standalone or a Redis Cluster, behind the commands both share
 * ({@link RedisClusterAsyncCommands}). A cluster connection routes each command by its key's slot,
 * so the keys of one script call must share a slot (impush's keys carry a shard's hash tag). Opened by
 * {@link RedisConnection#open}; {@link #close()} shuts the client down. Thread-safe.
 */
public final class RedisLink implements AutoCloseable {
    private final AbstractRedisClient client;
    private final String description;

    RedisLink(AbstractRedisClient client, String description) {
        this.client = client;
        this.description = description;
    }

    /** Whether this is a Redis Cluster: a script's keys must then share a hash slot. */
    public boolean clustered() {
        return client instanceof RedisClusterClient;
    }

    /**
     * For each of {@code slots}, the id of the master that serves it as this client last saw the
     * cluster, null for a slot no master serves (and on a standalone server). A view, possibly stale.
     */
    public String[] masters(int[] slots) {
        String[] out = new String[slots.length];
        if (client instanceof RedisClusterClient cluster) {
            Partitions partitions = cluster.getPartitions();
            for (int i = 0; i < slots.length; i++) {
                RedisClusterNode node = partitions.getPartitionBySlot(slots[i]);
                out[i] = node == null ? null : node.getNodeId();
            }
        }
        return out;
    }

    /** A new connection (commands on it are pipelined); close it when done. */
    public Session connect() {
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> c = cluster.connect(StringCodec.UTF8);
            return new Session(c, c.async(), c.sync());
        }
        StatefulRedisConnection<String, String> c = ((RedisClient) client).connect(StringCodec.UTF8);
        return new Session(c, c.async(), c.sync());
    }

    /** One connection and its commands, asynchronous (pipelined) and blocking. */
    public record Session(StatefulConnection<String, String> connection,
                          RedisClusterAsyncCommands<String, String> commands,
                          RedisClusterCommands<String, String> sync) implements AutoCloseable {
        /**
         * The commands of the Redis Cluster node {@code nodeId} (a {@linkplain #masters master}), sent
         * to it alone: it answers for the keys it serves and refuses the others, nothing is redirected.
         */
        public CompletableFuture<RedisClusterAsyncCommands<String, String>> node(String nodeId) {
            if (!(connection instanceof StatefulRedisClusterConnection<String, String> cluster)) {
                throw new IllegalStateException("not a Redis Cluster");
            }
            return cluster.getConnectionAsync(nodeId, ConnectionIntent.WRITE).thenApply(StatefulRedisConnection::async);
        }

        @Override
        public void close() {
            connection.close();
        }
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return description;
    }
}
