package dev.impush.localstack.redis;

import dev.impush.localstack.ChildProcesses;
import dev.impush.localstack.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code redis-server} from PATH as a child process on a free loopback port, without persistence.
 * Ready when it answers PING (15–60 ms). {@link #kill()} and {@link #restart()} serve fault tests.
 */
public final class RedisServerProcess implements RedisFixture {
    private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);

    private final String executable;
    private final int port;
    private Process process;

    private RedisServerProcess(String executable, int port) {
        this.executable = executable;
        this.port = port;
    }

    public static RedisServerProcess start() {
        RedisServerProcess r = new RedisServerProcess(findExecutable(), Ports.free());
        r.launch();
        return r;
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
            process = ChildProcesses.reaped(new ProcessBuilder(executable, "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--protected-mode", "no", "--loglevel", "warning")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + executable, e);
        }
        awaitPing(Duration.ofSeconds(10));
        LOG.info("redis-server ready on 127.0.0.1:{} (pid {})", port, process.pid());
    }

    private void awaitPing(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
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
        return "redis://127.0.0.1:" + port;
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
