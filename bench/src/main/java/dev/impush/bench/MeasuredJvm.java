package dev.impush.bench;

import dev.impush.localstack.ChildProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A push worker or an offline detector in its own JVM (this JVM's class path), so that its CPU time
 * ({@code /proc/<pid>/stat}) and peak RSS ({@code VmHWM}) are its own. Samples both every 100 ms.
 */
final class MeasuredJvm implements AutoCloseable {
    /** Linux clock ticks per second for utime/stime (USER_HZ is 100 on every mainstream kernel config). */
    private static final double TICKS = 100.0;

    record Sample(long nanos, long cpuTicks, long rssKb, long hwmKb) {}

    private final Process process;
    private final Path log;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private long peakSince = Long.MIN_VALUE;

    private MeasuredJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.sampler = Thread.ofPlatform().daemon().name("jvm-sampler").start(this::sampleLoop);
    }

    static MeasuredJvm start(Map<String, String> env, String heap, List<String> javaOpts, Path jfrFile) throws Exception {
        return start("dev.impush.worker.PushWorkerMain", env, heap, javaOpts, jfrFile);
    }

    static MeasuredJvm start(String mainClass, Map<String, String> env, String heap, List<String> javaOpts,
                             Path jfrFile) throws Exception {
        Path log = Files.createTempFile("impush-bench-" + mainClass.substring(mainClass.lastIndexOf('.') + 1) + "-", ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx" + heap,
                "-Dlogback.configurationFile=logback-text.xml"));
        cmd.addAll(javaOpts);
        if (jfrFile != null) {
            cmd.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=profile,dumponexit=true");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new MeasuredJvm(ChildProcesses.reaped(pb.start()), log);
    }

    private void sampleLoop() {
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        while (process.isAlive()) {
            try {
                long ticks = cpuTicks(Files.readString(stat));
                long rss = 0;
                long hwm = 0;
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kb(line);
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = kb(line);
                    }
                }
                synchronized (samples) {
                    samples.add(new Sample(System.nanoTime(), ticks, rss, hwm));
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                return; // the process is gone
            }
        }
    }

    /** utime + stime of a {@code /proc/.../stat} line, in clock ticks. */
    private static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    /** Average cores the worker used between two instants (nearest samples around them). */
    double coresBetween(long fromNanos, long toNanos) {
        synchronized (samples) {
            Sample a = null;
            Sample b = null;
            for (Sample s : samples) {
                if (s.nanos() <= fromNanos) {
                    a = s;
                }
                if (b == null && s.nanos() >= toNanos) {
                    b = s;
                }
            }
            if (a == null && !samples.isEmpty()) {
                a = samples.get(0);
            }
            if (b == null && !samples.isEmpty()) {
                b = samples.get(samples.size() - 1);
            }
            if (a == null || b == null || b.nanos() <= a.nanos()) {
                return 0;
            }
            return (b.cpuTicks() - a.cpuTicks()) / TICKS / ((b.nanos() - a.nanos()) / 1e9);
        }
    }

    /** CPU seconds used between two instants (nearest samples around them). */
    double cpuSecondsBetween(long fromNanos, long toNanos) {
        return coresBetween(fromNanos, toNanos) * (toNanos - fromNanos) / 1e9;
    }

    /** CPU time of the worker's JIT compiler threads so far, in ms (0 when /proc cannot tell). */
    long compileMillis() {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String s = Files.readString(task.resolve("stat"));
                    if (s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).contains("CompilerThre")) {
                        ticks += cpuTicks(s);
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return (long) (ticks * 1000 / TICKS);
    }

    /**
     * The JVM's own account of its memory ({@code jcmd VM.native_memory summary}, in MB): needs
     * {@code -XX:NativeMemoryTracking=summary}. Committed memory by area: the Java heap, class
     * metadata, threads (stacks), code cache, GC structures, direct buffers ("Other") and the rest.
     */
    String nativeMemory() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(process.pid()), "VM.native_memory", "summary", "scale=MB").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    /** Resident memory now, KB. */
    long rssKb() {
        synchronized (samples) {
            return samples.isEmpty() ? 0 : samples.getLast().rssKb();
        }
    }

    /** The highest resident memory sampled since {@code nanos} ({@link System#nanoTime()}), KB. */
    long maxRssKbSince(long nanos) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.nanos() >= nanos).mapToLong(Sample::rssKb).max().orElse(0);
        }
    }

    /** The highest resident memory since the last {@link #resetPeak()} (else since start), KB. */
    long peakRssKb() {
        synchronized (samples) {
            return samples.stream().filter(s -> s.nanos() >= peakSince).mapToLong(Sample::hwmKb).max().orElse(0);
        }
    }

    /** The highest resident memory since start, KB: with the JIT's warm-up (its compiler arenas). */
    long lifetimePeakRssKb() {
        synchronized (samples) {
            return samples.stream().mapToLong(Sample::hwmKb).max().orElse(0);
        }
    }

    /**
     * Starts {@link #peakRssKb()} afresh: the kernel's high-water mark is reset ({@code clear_refs} 5),
     * so the peak is that of what runs from now on, e.g. the timed phases after the warm-up.
     */
    void resetPeak() throws IOException {
        Files.writeString(Path.of("/proc", Long.toString(process.pid()), "clear_refs"), "5");
        synchronized (samples) {
            peakSince = System.nanoTime();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    /** Stops the worker where it is (SIGSTOP), e.g. while its backlog is produced. */
    void suspend() throws Exception {
        signal("STOP");
    }

    /** Lets a suspended worker continue (SIGCONT). */
    void resume() throws Exception {
        signal("CONT");
    }

    /** What the bench does while the JVM is stopped (SIGSTOP), then continued, also when it throws. */
    interface WhileStopped {
        void run() throws Exception;
    }

    void whileSuspended(WhileStopped action) throws Exception {
        suspend();
        try {
            action.run();
        } finally {
            resume();
        }
    }

    private void signal(String name) throws Exception {
        int rc = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + rc);
        }
    }

    /** SIGTERM and wait for the graceful drain (JFR is dumped on exit). */
    void terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        sampler.interrupt();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        sampler.interrupt();
    }
}
