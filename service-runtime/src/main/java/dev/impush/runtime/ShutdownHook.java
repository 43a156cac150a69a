package dev.impush.runtime;

import java.util.concurrent.CountDownLatch;

/** Runs a graceful stop on SIGTERM/SIGINT and lets {@code main} wait for it. */
public final class ShutdownHook {
    private ShutdownHook() {}

    /** Registers {@code stop} and blocks until it has completed. */
    public static void awaitTermination(Runnable stop) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } finally {
                done.countDown();
            }
        }, "impush-shutdown"));
        done.await();
    }
}
