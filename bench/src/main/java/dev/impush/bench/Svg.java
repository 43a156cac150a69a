package dev.impush.bench;

import java.util.List;
import java.util.Locale;

/**
 * A hand-made SVG: throughput over time (one line per phase), the latency percentiles per run at half
 * rate, and the latency-throughput curve.
 */
final class Svg {
    private Svg() {}

    record Series(String name, String color, int[] per100ms) {}

    record Percentiles(String name, double p50, double p95, double p99) {}

    /** A step of the latency-throughput curve: p50 and p99 (medians, and the p99's spread over runs). */
    record CurvePoint(double load, double rate, double p50, double p99, double p99Min, double p99Max) {}

    static String render(String title, List<Series> series, List<Percentiles> latencies, List<CurvePoint> curve,
                         double knee) {
        int w = 900;
        int h = curve.isEmpty() ? 640 : 900;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='12'>%n", w, h));
        s.append("<rect width='100%' height='100%' fill='white'/>\n");
        s.append("<text x='20' y='24' font-size='15' font-weight='bold'>").append(esc(title)).append("</text>\n");
        // panel 1: throughput over time
        int x0 = 70;
        int y0 = 50;
        int pw = 780;
        int ph = 300;
        double maxRate = 1;
        int maxBuckets = 1;
        for (Series se : series) {
            for (int c : se.per100ms()) {
                maxRate = Math.max(maxRate, c * 10.0);
            }
            maxBuckets = Math.max(maxBuckets, se.per100ms().length);
        }
        maxRate = nice(maxRate);
        axes(s, x0, y0, pw, ph, maxRate, "deliveries/s (100 ms buckets)", maxBuckets / 10.0, "seconds since first delivery");
        int legendY = y0 + 12;
        for (Series se : series) {
            StringBuilder pts = new StringBuilder();
            int[] b = se.per100ms();
            for (int i = 0; i < b.length; i++) {
                double x = x0 + pw * (i + 0.5) / maxBuckets;
                double y = y0 + ph - ph * (b[i] * 10.0) / maxRate;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            s.append("<polyline fill='none' stroke-width='1.6' stroke='").append(se.color()).append("' points='").append(pts).append("'/>\n");
            s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='14' height='3' fill='%s'/><text x='%d' y='%d'>%s</text>%n",
                    x0 + pw - 260, legendY - 4, se.color(), x0 + pw - 240, legendY, esc(se.name())));
            legendY += 16;
        }
        // panel 2: latency percentiles per run
        int y1 = 420;
        int ph2 = 170;
        double maxLat = 1;
        for (Percentiles p : latencies) {
            maxLat = Math.max(maxLat, p.p99());
        }
        maxLat = nice(Math.max(maxLat, 50));
        axes(s, x0, y1, pw, ph2, maxLat, "job produced → vendor received, ms", 0, "");
        double target = y1 + ph2 - ph2 * 50 / maxLat;
        s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='red' stroke-dasharray='4 3'/><text x='%d' y='%.1f' fill='red'>p99 target 50 ms</text>%n",
                x0, x0 + pw, target, target, x0 + pw - 110, target - 4));
        String[] colors = {"#9ecae1", "#4292c6", "#08306b"};
        int groups = Math.max(1, latencies.size());
        double gw = (double) pw / groups;
        for (int g = 0; g < latencies.size(); g++) {
            Percentiles p = latencies.get(g);
            double[] v = {p.p50(), p.p95(), p.p99()};
            for (int k = 0; k < 3; k++) {
                double bw = Math.min(40, gw / 4);
                double x = x0 + g * gw + gw / 2 - 1.5 * bw + k * bw;
                double bh = ph2 * v[k] / maxLat;
                s.append(String.format(Locale.ROOT, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'/><text x='%.1f' y='%.1f' font-size='10' text-anchor='middle'>%.1f</text>%n",
                        x, y1 + ph2 - bh, bw - 2, bh, colors[k], x + bw / 2, y1 + ph2 - bh - 3, v[k]));
            }
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>%n",
                    x0 + g * gw + gw / 2, y1 + ph2 + 16, esc(p.name())));
        }
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>bars: p50 / p95 / p99</text>%n", x0, y1 + ph2 + 36));
        if (!curve.isEmpty()) {
            curve(s, x0, 680, pw, 170, curve, knee);
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** Panel 3: p50 and p99 against the offered load, the p99 on a log scale from 1 ms, its spread as bars. */
    private static void curve(StringBuilder s, int x0, int y0, int pw, int ph, List<CurvePoint> curve, double knee) {
        double maxLat = 100;
        for (CurvePoint c : curve) {
            maxLat = Math.max(maxLat, c.p99Max());
        }
        double top = Math.log10(nice(maxLat));
        s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#888'/>%n", x0, y0, pw, ph));
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>job → vendor latency, ms (log), against offered load (%% of the max); knee %,.0f jobs/s</text>%n",
                x0, y0 - 6, knee));
        for (double ms = 1; ms <= Math.pow(10, top) + 1e-9; ms *= 10) {
            double y = y0 + ph - ph * Math.log10(ms) / top;
            s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#eee'/><text x='%d' y='%.1f' text-anchor='end'>%s</text>%n",
                    x0, x0 + pw, y, y, x0 - 4, y + 4, fmt(ms)));
        }
        for (int pct = 0; pct <= 100; pct += 25) {
            s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%d %%</text>%n", x0 + pw * pct / 100.0,
                    y0 + ph + 14, pct));
        }
        double target = y0 + ph - ph * Math.log10(50) / top;
        s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='red' stroke-dasharray='4 3'/>%n",
                x0, x0 + pw, target, target));
        String[] colors = {"#9ecae1", "#08306b"};
        for (int k = 0; k < 2; k++) {
            StringBuilder pts = new StringBuilder();
            for (CurvePoint c : curve) {
                double v = k == 0 ? c.p50() : c.p99();
                double x = x0 + pw * c.load();
                double y = y0 + ph - ph * Math.log10(Math.max(1, v)) / top;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                s.append(String.format(Locale.ROOT, "<circle cx='%.1f' cy='%.1f' r='3' fill='%s'/>%n", x, y, colors[k]));
                if (k == 1) {
                    double yMin = y0 + ph - ph * Math.log10(Math.max(1, c.p99Min())) / top;
                    double yMax = y0 + ph - ph * Math.log10(Math.max(1, c.p99Max())) / top;
                    s.append(String.format(Locale.ROOT, "<line x1='%.1f' x2='%.1f' y1='%.1f' y2='%.1f' stroke='%s'/><text x='%.1f' y='%.1f' font-size='10'>%,.0f/s</text>%n",
                            x, x, yMin, yMax, colors[k], x + 5, y - 5, c.rate()));
                }
            }
            s.append("<polyline fill='none' stroke-width='1.6' stroke='").append(colors[k]).append("' points='").append(pts).append("'/>\n");
        }
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>light: p50, dark: p99 (bar: min - max over runs), dashed: the 50 ms p99 target</text>%n",
                x0, y0 + ph + 32));
    }

    private static void axes(StringBuilder s, int x0, int y0, int pw, int ph, double maxY, String yLabel, double maxX, String xLabel) {
        s.append(String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#888'/>%n", x0, y0, pw, ph));
        for (int i = 0; i <= 4; i++) {
            double y = y0 + ph - ph * i / 4.0;
            s.append(String.format(Locale.ROOT, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#eee'/><text x='%d' y='%.1f' text-anchor='end'>%s</text>%n",
                    x0, x0 + pw, y, y, x0 - 4, y + 4, fmt(maxY * i / 4)));
        }
        s.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>%n", x0, y0 - 6, esc(yLabel)));
        if (maxX > 0) {
            for (int i = 0; i <= 5; i++) {
                double x = x0 + pw * i / 5.0;
                s.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' text-anchor='middle'>%s</text>%n", x, y0 + ph + 14, fmt(maxX * i / 5)));
            }
            s.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='middle'>%s</text>%n", x0 + pw / 2, y0 + ph + 30, esc(xLabel)));
        }
    }

    private static double nice(double v) {
        double m = Math.pow(10, Math.floor(Math.log10(v)));
        for (double f : new double[] {1, 2, 2.5, 5, 10}) {
            if (f * m >= v) {
                return f * m;
            }
        }
        return 10 * m;
    }

    private static String fmt(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
