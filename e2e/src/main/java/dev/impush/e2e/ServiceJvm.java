package dev.impush.e2e;

import dev.impush.localstack.ChildProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A service's main class in its own JVM, on this JVM's class path, its output in a temporary log. */
record ServiceJvm(Process process, Path log) {

    static ServiceJvm start(String name, String mainClass, Map<String, String> env) throws Exception {
        Path log = Files.createTempFile("impush-" + name + "-", ".log");
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-Dlogback.configurationFile=logback-text.xml",
                "-cp", System.getProperty("java.class.path"),
                mainClass);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        return new ServiceJvm(ChildProcesses.reaped(pb.start()), log);
    }
}
