package dev.impush.localstack.redis;

import dev.impush.localstack.Polling;
import dev.impush.localstack.ChildProcesses;
import dev.impush.localstack.Ports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master, its replica and one Sentinel watching them ({@code redis-server --sentinel}, quorum 1):
 * Redis as many sites run it for failover without a cluster. Its {@link #uri()} is Lettuce's
 * {@code redis-sentinel://} form, through which a client finds the current master.
 */
public final class RedisSentinelProcess implements RedisFixture {
    private static final Logger LOG = LoggerFactory.getLogger(RedisSentinelProcess.class);
    /** The name the Sentinel knows the master by. */
    public static final String MASTER_NAME = "impush";

    private final RedisServerProcess master;
    private final RedisServerProcess replica;
    private final Process sentinel;
    private final int sentinelPort;

    private RedisSentinelProcess(RedisServerProcess master, RedisServerProcess replica, Process sentinel, int sentinelPort) {
        this.master = master;
        this.replica = replica;
        this.sentinel = sentinel;
        this.sentinelPort = sentinelPort;
    }

    /** A master marked down after 1 s without answers, its replica promoted soon after. */
    public static RedisSentinelProcess start() {
        RedisServerProcess master = RedisServerProcess.start();
        RedisServerProcess replica = null;
        try {
            replica = RedisServerProcess.startReplicaOf(master);
            Path dir = Files.createTempDirectory("impush-sentinel");
            int port = Ports.free();
            // Sentinel rewrites its configuration file as it learns the topology: it must be writable
            Path conf = Files.writeString(dir.resolve("sentinel.conf"), String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    ""));
            Process sentinel = ChildProcesses.reaped(new ProcessBuilder(RedisServerProcess.findExecutable(),
                    conf.toString(), "--sentinel").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("sentinel.log").toFile()).start());
            RedisSentinelProcess s = new RedisSentinelProcess(master, replica, sentinel, port);
            s.awaitMaster(master.port(), Duration.ofSeconds(30));
            LOG.info("redis sentinel on 127.0.0.1:{}: master :{}, replica :{}", port, master.port(), replica.port());
            return s;
        } catch (IOException | RuntimeException e) {
            master.close();
            if (replica != null) {
                replica.close();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /** Until the Sentinel names the server on {@code port} as the master (and the replica has synced). */
    public void awaitMaster(int port, Duration timeout) {
        Polling.until(timeout, () -> namesMaster(port) && (port != master.port()
                        || RedisCli.at(replica.port(), "info", "replication").contains("master_link_status:up")),
                "the Sentinel does not name :" + port + " as master after " + timeout);
    }

    /** Whether the Sentinel answers and names the server on {@code port} as the master. */
    private boolean namesMaster(int port) {
        try {
            return RedisCli.at(sentinelPort, "sentinel", "get-master-addr-by-name", MASTER_NAME).lines()
                    .anyMatch(line -> line.strip().equals(Integer.toString(port)));
        } catch (IllegalStateException e) {
            return false; // not listening yet
        }
    }

    /** {@code redis-sentinel://127.0.0.1:<port>#impush}. */
    @Override
    public String uri() {
        return "redis-sentinel://127.0.0.1:" + sentinelPort + "#" + MASTER_NAME;
    }

    public RedisServerProcess master() {
        return master;
    }

    public RedisServerProcess replica() {
        return replica;
    }

    @Override
    public void close() {
        sentinel.destroy();
        master.close();
        replica.close();
    }
}
