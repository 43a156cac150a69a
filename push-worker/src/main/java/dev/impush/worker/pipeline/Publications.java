package dev.impush.worker.pipeline;

import dev.impush.worker.metrics.WorkerMetrics;
import dev.impush.worker.publish.Publication;
import dev.impush.worker.publish.PublishErrors;
import java.time.Clock;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the publications records wait for and decides about each answer. Acknowledged: done.
 * Refused for what the record is (too large): its fallback goes instead, or, with none left, it is
 * given up with the loss logged and counted, never retried in a loop. Any other failure (broker away,
 * a topic not there): tried again after a doubling backoff, while the record stays unfinished and
 * uncommitted. Poll thread only, except {@link #failingFor}.
 */
final class Publications {
    private static final Logger LOG = LoggerFactory.getLogger(Publications.class);
    private static final long BACKOFF_MIN_MS = 100;
    private static final long BACKOFF_MAX_MS = 5_000;

    private final Queue<Event> inbox;
    private final Timers timers;
    private final WorkerMetrics metrics;
    private final Clock clock;
    /** Publications failing now (each counted once however often it failed). */
    private int failing;
    /** Epoch ms of the first failure of the publications failing now; 0 when none is. */
    private volatile long failingSince;

    Publications(Queue<Event> inbox, Timers timers, WorkerMetrics metrics, Clock clock) {
        this.inbox = inbox;
        this.timers = timers;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Sends {@code publication} for {@code job}; its answer comes back as an {@link Event.Published}. */
    void start(JobState job, Publication publication) {
        attempt(job, publication, 0);
    }

    private void attempt(JobState job, Publication publication, int failures) {
        publication.send().accept(e -> inbox.add(new Event.Published(job, publication, failures, e)));
    }

    /** Acts on an answer; true when its record waits for it no more (acknowledged or given up). */
    boolean answered(Event.Published p) {
        Publication publication = p.publication();
        if (p.error() == null || PublishErrors.refusesTheRecord(p.error())) {
            if (p.failures() > 0 && --failing == 0) {
                failingSince = 0;
            }
            if (p.error() == null) {
                return true;
            }
            Publication instead = publication.fallback().get();
            if (instead == null) {
                LOG.error("{} of record {} refused and nothing smaller can stand in: given up ({})",
                        publication.what(), p.job(), p.error().toString());
                metrics.publicationLost(publication.what());
                return true;
            }
            LOG.warn("{} of record {} refused ({}); publishing a {} instead", publication.what(), p.job(),
                    p.error().toString(), instead.what());
            start(p.job(), instead);
            return false;
        }
        if (p.failures() == 0 && failing++ == 0) {
            failingSince = clock.millis();
        }
        long delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS << Math.min(p.failures(), 16));
        delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        metrics.publicationRetried(publication.what());
        LOG.warn("{} of record {} failed (try {}), trying again in {} ms: {}", publication.what(), p.job(),
                p.failures() + 1, delay, p.error().toString());
        timers.at(clock.millis() + delay, () -> attempt(p.job(), publication, p.failures() + 1));
        return false;
    }

    /** How long publications have been failing without a success in between (zero when they are not). Any thread. */
    Duration failingFor() {
        long since = failingSince;
        return since == 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, clock.millis() - since));
    }
}
