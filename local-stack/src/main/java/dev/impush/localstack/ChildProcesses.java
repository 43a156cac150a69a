package dev.impush.localstack;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Child processes (redis-server, worker JVMs) that must not outlive this JVM. Closing their fixture
 * stops them; this covers the exits that skip the close: SIGTERM to the parent, {@code System.exit},
 * a test runner that gives up. Orphans kept polling and using CPU, which skewed every later
 * benchmark on the machine. (Nothing covers SIGKILL of the parent.)
 */
public final class ChildProcesses {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "impush-child-reaper"));
    }

    private ChildProcesses() {}

    /** Registers a just-started child to be killed when this JVM exits before it. */
    public static Process reaped(Process process) {
        LIVE.add(process);
        process.onExit().thenRun(() -> LIVE.remove(process));
        return process;
    }
}
