package dev.impush.replay;

import java.io.PrintWriter;

/** A one-line progress bar on the error stream, redrawn at most every 100 ms. */
final class Progress {
    private final PrintWriter err;
    private final long total;
    private long done;
    private long lastDraw;

    Progress(PrintWriter err, long total) {
        this.err = err;
        this.total = Math.max(1, total);
    }

    void step() {
        done++;
        long now = System.nanoTime();
        if (now - lastDraw > 100_000_000L) {
            lastDraw = now;
            draw();
        }
    }

    void done() {
        draw();
        err.println();
        err.flush();
    }

    private void draw() {
        int width = 30;
        int filled = (int) Math.min(width, done * width / total);
        err.printf("\r[%s%s] %d/%d dead letters read", "#".repeat(filled), " ".repeat(width - filled), done, total);
        err.flush();
    }
}
