package dev.impush.replay;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

/** What a replay did and did not do, and why. */
final class ReplayTally {
    private int jobs;
    private int devices;
    private final Map<String, Integer> skipped = new TreeMap<>();

    void replay(int deviceCount) {
        jobs++;
        devices += deviceCount;
    }

    void skip(String why) {
        skipped.merge(why, 1, Integer::sum);
    }

    int jobs() {
        return jobs;
    }

    Map<String, Integer> skipped() {
        return Map.copyOf(skipped);
    }

    void print(PrintWriter out, boolean executed) {
        out.printf("%s %d jobs (%d devices)%s%n", executed ? "replayed" : "would replay", jobs, devices,
                executed ? "" : ": dry run, nothing sent; add --execute to send");
        skipped.forEach((why, n) -> out.printf("skipped %d: %s%n", n, why));
        out.flush();
    }
}
