package dev.impush.localstack.redis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code redis-cli} beside {@code redis-server} (else from PATH), run to completion. */
final class RedisCli {
    private static final Duration COMMAND = Duration.ofSeconds(5);

    private RedisCli() {}

    /** {@code command} against the server on {@code port}; its output. */
    static String at(int port, String... command) {
        List<String> args = new ArrayList<>(List.of("-p", Integer.toString(port)));
        args.addAll(List.of(command));
        return run(args, COMMAND);
    }

    /**
     * {@code redis-cli} with {@code args}; its output.
     *
     * @throws IllegalStateException when it fails (exit status not 0) or outlasts {@code timeout}
     */
    static String run(List<String> args, Duration timeout) {
        Path beside = Path.of(RedisServerProcess.findExecutable()).resolveSibling("redis-cli");
        List<String> command = new ArrayList<>(List.of(Files.isExecutable(beside) ? beside.toString() : "redis-cli"));
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed: "
                        + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
