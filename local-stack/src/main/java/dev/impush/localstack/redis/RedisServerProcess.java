package dev.impush.localstack.redis;

import dev.impush.localstack.ChildProcesses;
import dev.impush.localstack.Ports;
import dev.impush.localstack.tls.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code redis-server} from PATH as a child process on a free loopback port, without persistence.
 * Ready when it answers PING (15–60 ms). {@link #kill()} and {@link #restart()} serve fault tests.
 * {@link #startTls()} serves TLS only, to the ACL user {@value #USER} (the default user is off).
 */
public final class RedisServerProcess implements RedisFixture {
    private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);

    /** The ACL user of a {@link #startTls()} server. */
    public static final String USER = "impush";

    private final String executable;
    private final int port;
    private final Optional<Tls> tls;
    /** More {@code redis-server} arguments (a cluster node's). */
    private final List<String> extra;
    private Process process;

    /** TLS and ACL material of a {@link #startTls()} server, in its own directory. */
    private record Tls(Path ca, Path cert, Path key, Path passwordFile, String password) {
        static Tls create() throws IOException {
            Path dir = Files.createTempDirectory("impush-redis-tls");
            TestCa ca = TestCa.create("impush test Redis CA");
            Path caPem = ca.writeCertificate(dir.resolve("ca.pem"));
            ca.serverPem(dir.resolve("server.pem"), dir.resolve("server.key"));
            String password = UUID.randomUUID().toString();
            return new Tls(caPem, dir.resolve("server.pem"), dir.resolve("server.key"),
                    Files.writeString(dir.resolve("redis.password"), password), password);
        }
    }

    private RedisServerProcess(String executable, int port, Optional<Tls> tls, List<String> extra) {
        this.executable = executable;
        this.port = port;
        this.tls = tls;
        this.extra = List.copyOf(extra);
    }

    public static RedisServerProcess start() {
        RedisServerProcess r = new RedisServerProcess(findExecutable(), Ports.free(), Optional.empty(), List.of());
        r.launch();
        return r;
    }

    /**
     * A node for a Redis Cluster ({@link RedisClusterProcess} joins them), its cluster state in
     * {@code dir}; a restart after {@link #kill()} comes back as the same node, empty.
     */
    static RedisServerProcess startClusterNode(Path dir) {
        int port = Ports.free();
        String executable = findExecutable();
        List<String> args = new ArrayList<>(List.of(
                "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
                "--cluster-node-timeout", "2000", "--dir", dir.toString(),
                // a replica's first sync starts at once, not after the default 5 s wait for more replicas
                "--repl-diskless-sync-delay", "0"));
        if (majorVersion(executable) >= 7) {
            // redis-cli --cluster reshard compares a key both nodes hold (a write that raced the migration)
            // with DEBUG DIGEST-VALUE, which Redis 7 refuses by default: allowed from this host only
            args.addAll(List.of("--enable-debug-command", "local"));
        }
        RedisServerProcess r = new RedisServerProcess(executable, port, Optional.empty(), List.copyOf(args));
        r.launch();
        return r;
    }

    /** A replica of {@code master}, syncing from it at once. */
    public static RedisServerProcess startReplicaOf(RedisServerProcess master) {
        RedisServerProcess r = new RedisServerProcess(findExecutable(), Ports.free(), Optional.empty(), List.of(
                "--replicaof", "127.0.0.1", Integer.toString(master.port())));
        r.launch();
        return r;
    }

    /**
     * A server that takes only TLS (a certificate from a CA made for it, client certificates not
     * asked for) and only the ACL user {@value #USER} with a random password; {@link #serviceEnv()}
     * says how to log in.
     */
    public static RedisServerProcess startTls() {
        try {
            RedisServerProcess r = new RedisServerProcess(findExecutable(), Ports.free(), Optional.of(Tls.create()),
                    List.of());
            r.launch();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make the Redis TLS material", e);
        }
    }

    /** The major version of {@code redis-server} at {@code executable} ({@code v=7.0.15}: 7; 0 when unknown). */
    static int majorVersion(String executable) {
        try {
            Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher v = Pattern.compile("v=(\\d+)\\.").matcher(out);
            return v.find() ? Integer.parseInt(v.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Finds {@code redis-server}: {@code IMPUSH_REDIS_SERVER} if set, else PATH. */
    static String findExecutable() {
        String explicit = System.getenv("IMPUSH_REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, "redis-server");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException("redis-server not found on PATH: install it (apt-get install redis-server) "
                + "or run with -Dimpush.fixtures=containers on a machine with Docker");
    }

    private synchronized void launch() {
        try {
            List<String> args = new ArrayList<>(List.of(executable, "--bind", "127.0.0.1", "--save", "",
                    "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no", "--loglevel", "warning"));
            if (tls.isPresent()) {
                Tls t = tls.get();
                args.addAll(List.of("--port", "0", "--tls-port", Integer.toString(port),
                        "--tls-cert-file", t.cert().toString(), "--tls-key-file", t.key().toString(),
                        "--tls-ca-cert-file", t.ca().toString(), "--tls-auth-clients", "no",
                        "--user", "default", "off",
                        "--user", USER, "on", ">" + t.password(), "~*", "&*", "+@all"));
            } else {
                args.addAll(List.of("--port", Integer.toString(port)));
            }
            args.addAll(extra);
            // in a directory of its own: a replica writes the data it syncs to its working directory
            process = ChildProcesses.reaped(new ProcessBuilder(args)
                    .directory(Files.createTempDirectory("impush-redis-").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable, e);
        }
        awaitReady(Duration.ofSeconds(10));
        LOG.info("redis-server ready on 127.0.0.1:{} (pid {})", port, process.pid());
    }

    /** Until it answers PING; a TLS server until it listens (a plaintext PING gets no answer there). */
    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                if (tls.isPresent()) {
                    return;
                }
                OutputStream out = s.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[7];
                int n = in.read(buf);
                if (n > 0 && new String(buf, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server did not answer PING within " + timeout);
    }

    @Override
    public String uri() {
        return (tls.isPresent() ? "rediss" : "redis") + "://127.0.0.1:" + port;
    }

    @Override
    public Map<String, String> serviceEnv() {
        Map<String, String> env = new HashMap<>(RedisFixture.super.serviceEnv());
        tls.ifPresent(t -> env.putAll(Map.of("IMPUSH_REDIS_USERNAME", USER,
                "IMPUSH_REDIS_PASSWORD_FILE", t.passwordFile().toString(), "IMPUSH_REDIS_CA_FILE", t.ca().toString())));
        return env;
    }

    public int port() {
        return port;
    }

    /** SIGKILL: the server vanishes with all its keys. */
    public synchronized void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a fresh (empty) server on the same port after {@link #kill()}. */
    public synchronized void restart() {
        kill();
        launch();
    }

    @Override
    public synchronized void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
