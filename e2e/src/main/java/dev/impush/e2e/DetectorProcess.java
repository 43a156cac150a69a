package dev.impush.e2e;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The offline detector in its own JVM, on this JVM's class path: a process that can be stopped
 * dead (SIGSTOP, as a long GC pause or a frozen VM does) and continued, which an in-JVM detector cannot.
 */
public final class DetectorProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private DetectorProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static DetectorProcess start(String name, Map<String, String> env) throws Exception {
        ServiceJvm jvm = ServiceJvm.start("detector-" + name, "dev.impush.detector.OfflineDetectorMain", env);
        return new DetectorProcess(jvm.process(), jvm.log());
    }

    /** SIGSTOP: every thread of the detector stops where it is; the broker and the producers carry on. */
    public void pause() throws Exception {
        signal("-STOP");
    }

    /** SIGCONT: the detector carries on from where it stopped. */
    public void resume() throws Exception {
        signal("-CONT");
    }

    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /** SIGKILL: the detector dies mid-transaction, as on a crash or an OOM kill. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Continues it if stopped, then SIGTERM (it commits and leaves its group), SIGKILL after 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            resume();
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "detector pid " + process.pid() + " (log " + log + ")";
    }
}
