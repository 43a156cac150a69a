package dev.impush.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** What a fault scenario did to the jobs, counted at the mock vendors (the devices' view). */
record FaultReport(String scenario, int produced, long delivered, long shownTwice, long lost, long vendorResends,
                   int deadLettered) {

    static FaultReport of(String scenario, LocalPipeline pipeline, List<JobProducer.Sent> sent, int deadLettered) {
        List<JobProducer.Sent> live = sent.stream().filter(s -> !s.dead()).toList();
        long delivered = live.stream().filter(s -> s.shown(pipeline) >= 1).count();
        long twice = live.stream().filter(s -> s.shown(pipeline) > 1).count();
        long resends = live.stream().mapToLong(s -> Math.max(0, s.requests(pipeline) - 1)).sum();
        FaultReport r = new FaultReport(scenario, live.size(), delivered, twice, live.size() - delivered, resends,
                deadLettered);
        System.out.println(r.line());
        return r;
    }

    String line() {
        return String.format("[%s] produced %d, delivered %d, shown twice on a device %d, lost %d, "
                + "vendor re-sends %d (collapsed on the device), dead-lettered %d",
                scenario, produced, delivered, shownTwice, lost, vendorResends, deadLettered);
    }

    /** The promise: nothing lost, nothing shown twice, nothing dead-lettered. */
    void assertClean() {
        assertEquals(0, lost, line());
        assertEquals(0, shownTwice, line());
        assertEquals(0, deadLettered, line());
    }
}
