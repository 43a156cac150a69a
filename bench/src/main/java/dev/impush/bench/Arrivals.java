package dev.impush.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * When the vendor under test received each notification of one phase: message ids are
 * {@code <prefix><index>}, the time is {@link System#nanoTime()} in this JVM (the producer of the
 * jobs is in this JVM too, so produced→received needs no clock sync). Written from server event
 * loops; read after {@link #count()} reached the expected value. {@code produced} holds when each
 * job was due to be produced: in a paced phase its slot in the schedule, not when the producer got
 * to it, so a producer held up does not hide the delay (coordinated omission). Percentiles are
 * exact: every latency is kept and sorted.
 */
final class Arrivals {
    /** The phase the vendors currently record for (one at a time). */
    static final AtomicReference<Arrivals> CURRENT = new AtomicReference<>();
    /** Message ids of bulk-lane jobs start with this; they are only counted, in {@link #BULK}. */
    static final String BULK_PREFIX = "bulk-";
    static final AtomicInteger BULK = new AtomicInteger();

    final String prefix;
    final long[] produced;
    final long[] received;
    private final AtomicInteger count = new AtomicInteger();
    private final LongAdder requests = new LongAdder();

    Arrivals(String prefix, int n) {
        this.prefix = prefix;
        this.produced = new long[n];
        this.received = new long[n];
    }

    /** Called by every vendor mock for every accepted request. */
    static void record(String messageId) {
        long now = System.nanoTime();
        if (messageId != null && messageId.startsWith(BULK_PREFIX)) {
            BULK.incrementAndGet();
            return;
        }
        Arrivals a = CURRENT.get();
        if (a == null || messageId == null || !messageId.startsWith(a.prefix)) {
            return;
        }
        int i;
        try {
            i = Integer.parseInt(messageId, a.prefix.length(), messageId.length(), 10);
        } catch (NumberFormatException e) {
            return;
        }
        if (i < 0 || i >= a.received.length) {
            return;
        }
        a.requests.increment();
        synchronized (a) {
            if (a.received[i] != 0) {
                return;
            }
            a.received[i] = now;
        }
        a.count.incrementAndGet();
    }

    int count() {
        return count.get();
    }

    long requests() {
        return requests.sum();
    }

    /** Blocks until all arrived or {@code timeoutMs} passed; true when all arrived. */
    boolean await(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (count() < received.length) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /** What a phase measured. */
    record Summary(int n, int arrived, long requests, long firstNanos, long lastNanos, double perSecond,
                   double sendsPerSecond, double p50Ms, double p95Ms, double p99Ms, double p999Ms, double maxMs,
                   int[] per100ms, double[] p99PerSecond) {
        /** Each second's p99, by when its jobs were due, as text: where in a phase the tail came from. */
        String p99s() {
            StringBuilder b = new StringBuilder();
            for (double p : p99PerSecond) {
                b.append(b.isEmpty() ? "" : " ").append(Math.round(p));
            }
            return b.toString();
        }
    }

    synchronized Summary summary() {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int arrived = 0;
        double[] lat = new double[received.length];
        for (int i = 0; i < received.length; i++) {
            long r = received[i];
            if (r == 0) {
                continue;
            }
            first = Math.min(first, r);
            last = Math.max(last, r);
            lat[arrived++] = (r - produced[i]) / 1e6;
        }
        if (arrived == 0) {
            return new Summary(received.length, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new int[0], new double[0]);
        }
        double[] sorted = Arrays.copyOf(lat, arrived);
        Arrays.sort(sorted);
        double seconds = Math.max(1e-9, (last - first) / 1e9);
        int buckets = (int) ((last - first) / 100_000_000L) + 1;
        int[] per100ms = new int[buckets];
        for (long r : received) {
            if (r != 0) {
                per100ms[(int) ((r - first) / 100_000_000L)]++;
            }
        }
        return new Summary(received.length, arrived, requests(), first, last, arrived / seconds,
                requests() / seconds, pct(sorted, 50), pct(sorted, 95), pct(sorted, 99), pct(sorted, 99.9), sorted[arrived - 1],
                per100ms, p99PerSecond());
    }

    /** The p99 latency of the jobs due in each second since the first was due. */
    private double[] p99PerSecond() {
        long start = Arrays.stream(produced).filter(t -> t != 0).min().orElse(0);
        List<List<Double>> seconds = new ArrayList<>();
        for (int i = 0; i < received.length; i++) {
            if (received[i] == 0 || produced[i] == 0) {
                continue;
            }
            int s = (int) ((produced[i] - start) / 1_000_000_000L);
            while (seconds.size() <= s) {
                seconds.add(new ArrayList<>());
            }
            seconds.get(s).add((received[i] - produced[i]) / 1e6);
        }
        return seconds.stream().mapToDouble(l -> {
            double[] sorted = l.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return sorted.length == 0 ? 0 : pct(sorted, 99);
        }).toArray();
    }

    private static double pct(double[] sorted, double p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }
}
