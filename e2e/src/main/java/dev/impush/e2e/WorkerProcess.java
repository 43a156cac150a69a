package dev.impush.e2e;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A push worker in its own JVM, on this JVM's class path. */
public final class WorkerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private WorkerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static WorkerProcess start(String instanceId, Map<String, String> env) throws Exception {
        ServiceJvm jvm = ServiceJvm.start("worker-" + instanceId, "dev.impush.worker.PushWorkerMain", env);
        return new WorkerProcess(jvm.process(), jvm.log());
    }

    /** SIGKILL: no drain, no commit, no goodbye. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the graceful drain. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "worker pid " + process.pid() + " (log " + log + File.separator + ")";
    }
}
