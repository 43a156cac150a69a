package dev.impush.localstack.redis;

import dev.impush.localstack.Polling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis Cluster of local {@code redis-server --cluster-enabled yes} processes, joined by
 * {@code redis-cli --cluster create}: as a production cluster is built, without Docker. Its
 * {@link #uri()} is the seed list a service is given ({@code redis://a,redis://b,...}).
 */
public final class RedisClusterProcess implements RedisFixture {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterProcess.class);
    private static final Duration FORMED = Duration.ofSeconds(30);

    private final List<RedisServerProcess> nodes;

    private RedisClusterProcess(List<RedisServerProcess> nodes) {
        this.nodes = nodes;
    }

    /** {@code masters} masters with {@code replicas} replicas each, every slot assigned and the cluster ok. */
    public static RedisClusterProcess start(int masters, int replicas) {
        List<RedisServerProcess> nodes = new ArrayList<>();
        try {
            Path dir = Files.createTempDirectory("impush-redis-cluster");
            for (int i = 0; i < masters * (1 + replicas); i++) {
                nodes.add(RedisServerProcess.startClusterNode(dir));
            }
            List<String> create = new ArrayList<>(List.of("--cluster", "create"));
            nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
            create.addAll(List.of("--cluster-replicas", Integer.toString(replicas), "--cluster-yes"));
            RedisCli.run(create, Duration.ofSeconds(60));
            RedisClusterProcess cluster = new RedisClusterProcess(nodes);
            cluster.awaitOk();
            LOG.info("redis cluster ready: {} masters, {} replicas each, ports {}", masters, replicas,
                    nodes.stream().map(n -> Integer.toString(n.port())).collect(Collectors.joining(",")));
            return cluster;
        } catch (IOException | RuntimeException e) {
            nodes.forEach(RedisServerProcess::close);
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    /**
     * Until every node says {@code cluster_state:ok} and every replica has its master's data
     * ({@code master_link_status:up}): a replica that never synced refuses to take over, so a master
     * killed before that would leave its slots down for good.
     */
    private void awaitOk() {
        Polling.until(FORMED, () -> nodes.stream().allMatch(n -> clusterInfo(n).contains("cluster_state:ok") && synced(n)),
                "the redis cluster did not form within " + FORMED);
    }

    private static boolean synced(RedisServerProcess node) {
        String replication = RedisCli.at(node.port(), "info", "replication");
        return !replication.contains("role:slave") || replication.contains("master_link_status:up");
    }

    private static String clusterInfo(RedisServerProcess node) {
        return RedisCli.at(node.port(), "cluster", "info");
    }

    /**
     * Moves {@code slots} hash slots, with their keys, from one master to another while the cluster
     * serves ({@code redis-cli --cluster reshard}): each slot is marked migrating, its keys are
     * MIGRATEd, then the slot is handed over, so clients meanwhile get ASK, TRYAGAIN and MOVED
     * redirections. Returns when every slot has moved.
     */
    public void reshard(RedisServerProcess from, RedisServerProcess to, int slots) {
        RedisCli.run(List.of("--cluster", "reshard", "127.0.0.1:" + from.port(),
                "--cluster-from", nodeId(from), "--cluster-to", nodeId(to),
                "--cluster-slots", Integer.toString(slots), "--cluster-yes"), Duration.ofMinutes(5));
        awaitOk();
        LOG.info("redis cluster: {} slots moved from :{} to :{}", slots, from.port(), to.port());
    }

    /** The master that serves {@code slot} now. */
    public RedisServerProcess masterOf(int slot) {
        for (Map.Entry<String, List<int[]>> e : slotRanges(nodes.getFirst()).entrySet()) {
            if (e.getValue().stream().anyMatch(r -> r[0] <= slot && slot <= r[1])) {
                return nodes.stream().filter(n -> nodeId(n).equals(e.getKey())).findFirst().orElseThrow();
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    /**
     * The first step of moving {@code slot} from its master to {@code to}, as {@code redis-cli --cluster
     * reshard} takes it for each slot: the slot is importing on {@code to} and migrating on its master,
     * which keeps serving the keys it still has and redirects the others with ASK. {@link #moveKeys}
     * and {@link #endSlotMove} are the next steps. Returns the master it moves from.
     */
    public RedisServerProcess beginSlotMove(int slot, RedisServerProcess to) {
        RedisServerProcess from = masterOf(slot);
        expectOk(RedisCli.at(to.port(), "cluster", "setslot", Integer.toString(slot), "importing", nodeId(from)));
        expectOk(RedisCli.at(from.port(), "cluster", "setslot", Integer.toString(slot), "migrating", nodeId(to)));
        return from;
    }

    /**
     * MIGRATEs every key of {@code slot} from {@code from} to {@code to}, ten at a time as redis-cli
     * does; fails, as redis-cli does, when a key already exists on {@code to} (it was written in two
     * places).
     */
    public void moveKeys(int slot, RedisServerProcess from, RedisServerProcess to) {
        while (true) {
            List<String> keys = RedisCli.at(from.port(), "cluster", "getkeysinslot", Integer.toString(slot), "10")
                    .lines().filter(k -> !k.isBlank()).toList();
            if (keys.isEmpty()) {
                return;
            }
            List<String> migrate = new ArrayList<>(List.of("migrate", "127.0.0.1", Integer.toString(to.port()), "", "0",
                    "5000", "keys"));
            migrate.addAll(keys);
            String reply = RedisCli.at(from.port(), migrate.toArray(String[]::new));
            if (!reply.trim().equals("OK") && !reply.trim().equals("NOKEY")) {
                throw new IllegalStateException("MIGRATE of " + keys + " from :" + from.port() + " to :" + to.port()
                        + " failed: " + reply.trim());
            }
        }
    }

    /** Hands {@code slot} to {@code to}: first to it, then to every other master, as redis-cli does. */
    public void endSlotMove(int slot, RedisServerProcess to) {
        expectOk(RedisCli.at(to.port(), "cluster", "setslot", Integer.toString(slot), "node", nodeId(to)));
        for (RedisServerProcess n : nodes) {
            if (n != to && !RedisCli.at(n.port(), "info", "replication").contains("role:slave")) {
                expectOk(RedisCli.at(n.port(), "cluster", "setslot", Integer.toString(slot), "node", nodeId(to)));
            }
        }
    }

    private static void expectOk(String reply) {
        if (!reply.trim().equals("OK")) {
            throw new IllegalStateException("redis answered " + reply.trim());
        }
    }

    /** How many slots {@code node} serves now. */
    public int slotsOf(RedisServerProcess node) {
        return slotRanges(node).getOrDefault(nodeId(node), List.of()).stream().mapToInt(r -> r[1] - r[0] + 1).sum();
    }

    /** The slot ranges ({@code [first, last]}) each node serves, by node id, as {@code at} sees the cluster. */
    private static Map<String, List<int[]>> slotRanges(RedisServerProcess at) {
        Map<String, List<int[]>> ranges = new HashMap<>();
        for (String line : RedisCli.at(at.port(), "cluster", "nodes").lines().toList()) {
            String[] fields = line.split(" ");
            for (int i = 8; i < fields.length; i++) {
                if (!fields[i].startsWith("[")) { // [slot->-id]: a slot being moved, listed beside its range
                    String[] range = fields[i].split("-");
                    ranges.computeIfAbsent(fields[0], id -> new ArrayList<>()).add(
                            new int[] {Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1])});
                }
            }
        }
        return ranges;
    }

    private static String nodeId(RedisServerProcess node) {
        return RedisCli.at(node.port(), "cluster", "myid").trim();
    }

    /** The seed list: every node. */
    @Override
    public String uri() {
        return nodes.stream().map(RedisServerProcess::uri).collect(Collectors.joining(","));
    }

    /** The nodes, masters and replicas as {@code redis-cli} paired them. */
    public List<RedisServerProcess> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public void close() {
        nodes.forEach(RedisServerProcess::close);
    }
}
