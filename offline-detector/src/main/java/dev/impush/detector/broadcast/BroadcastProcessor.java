package dev.impush.detector.broadcast;

import dev.impush.detector.DetectorMetrics;
import dev.impush.detector.logic.Liveness;
import dev.impush.detector.state.DetectorStores;
import dev.impush.model.Lane;
import dev.impush.model.broadcast.Broadcast;
import dev.impush.model.broadcast.BroadcastCancel;
import dev.impush.model.broadcast.BroadcastCommand;
import dev.impush.model.broadcast.BroadcastRun;
import dev.impush.model.job.JobHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the broadcasts of one events partition. Every task receives its own copy of each broadcast
 * command ({@link EveryPartition}) and keeps its progress in {@link DetectorStores#BROADCASTS}; a
 * wall-clock punctuator then emits the next part of each running broadcast every
 * {@link BroadcastSettings#step()}: the broadcast's rate divided over the partitions, at most
 * {@link BroadcastSettings#maxDevicesPerStep()} devices per step in all. The jobs and the progress
 * commit together (exactly-once), so a restart neither repeats nor skips a user.
 */
public final class BroadcastProcessor implements Processor<String, BroadcastCommand, String, byte[]> {
    private final BroadcastSettings settings;
    private final Duration defaultTtl;
    private final Liveness liveness;
    private final int partitions;
    private final DetectorMetrics metrics;
    private final String chatJobsChild;
    private final String bulkJobsChild;
    /** Devices each running broadcast may still emit (its rate accrues here between steps). */
    private final Map<String, Double> credit = new HashMap<>();
    private final Map<String, BroadcastJobWriter> writers = new HashMap<>();
    private ProcessorContext<String, byte[]> context;
    private KeyValueStore<String, BroadcastRun> runs;
    private KeyValueStore<String, Broadcast> definitions;
    private FanOut fanOut;
    private long lastStep;

    /** @param partitions the partition count of the events topic: each task emits its share of a broadcast's rate */
    public BroadcastProcessor(BroadcastSettings settings, Duration defaultTtl, Liveness liveness, int partitions,
                              DetectorMetrics metrics, String chatJobsChild, String bulkJobsChild) {
        this.settings = settings;
        this.defaultTtl = defaultTtl;
        this.liveness = liveness;
        this.partitions = partitions;
        this.metrics = metrics;
        this.chatJobsChild = chatJobsChild;
        this.bulkJobsChild = bulkJobsChild;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        this.runs = context.getStateStore(DetectorStores.BROADCASTS);
        this.definitions = context.getStateStore(DetectorStores.BROADCAST_DEFINITIONS);
        this.fanOut = new FanOut(context, liveness, partitions);
        context.schedule(settings.step(), PunctuationType.WALL_CLOCK_TIME, t -> step(context.currentSystemTimeMs()));
    }

    @Override
    public void process(Record<String, BroadcastCommand> record) {
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        switch (record.value()) {
            case Broadcast b -> {
                if (runs.get(b.broadcastId()) != null) {
                    metrics.broadcast("duplicate");
                    return;
                }
                BroadcastRun run = BroadcastRun.start(b, fanOut.planned(b.audience()), now, defaultTtl);
                runs.put(b.broadcastId(), run);
                if (!run.ended()) {
                    definitions.put(b.broadcastId(), b);
                }
                metrics.broadcast(run.ended() ? "expired" : "started");
            }
            case BroadcastCancel c -> {
                BroadcastRun run = runs.get(c.broadcastId());
                if (run != null && run.ended()) {
                    return;
                }
                end(run == null ? BroadcastRun.cancelledUnseen(c.broadcastId(), now)
                        : run.ended(BroadcastRun.Status.CANCELLED, now));
                metrics.broadcast("cancelled");
            }
        }
    }

    private void step(long nowMs) {
        Instant now = Instant.ofEpochMilli(nowMs);
        // a late or first step accrues at most one second of rate
        double seconds = (lastStep == 0 ? settings.step().toMillis() : Math.min(nowMs - lastStep, 1000)) / 1000.0;
        lastStep = nowMs;
        long left = settings.maxDevicesPerStep();
        for (BroadcastRun run : all()) {
            String id = run.broadcastId();
            if (run.ended()) {
                if (now.isAfter(run.updatedAt().plus(settings.retention()))) {
                    runs.delete(id);
                }
            } else if (!now.isBefore(run.expiresAt())) {
                end(run.ended(BroadcastRun.Status.EXPIRED, now));
                metrics.broadcast("expired");
            } else if (!now.isBefore(run.startAt())) {
                left -= advance(run, seconds, left, now);
            }
        }
    }

    /** One step of {@code run}; returns the devices emitted. */
    private long advance(BroadcastRun run, double seconds, long left, Instant now) {
        String id = run.broadcastId();
        Broadcast b = definitions.get(id);
        long rate = b.ratePerSecond() > 0 ? b.ratePerSecond() : settings.defaultRate();
        double available = Math.min(credit.getOrDefault(id, 0.0) + rate * seconds / partitions,
                settings.maxDevicesPerStep());
        long budget = Math.min((long) available, left);
        if (budget <= 0) {
            credit.put(id, available);
            return 0;
        }
        BroadcastJobWriter writer = writers.computeIfAbsent(id, k ->
                new BroadcastJobWriter(id, BroadcastJobs.notification(b), run.expiresAt()));
        String child = b.laneOrDefault() == Lane.CHAT ? chatJobsChild : bulkJobsChild;
        String createdAt = now.toString();
        BroadcastRun next = fanOut.step(run, b, budget, now, (user, devices) ->
                emit(user, writer.write(user, devices, createdAt), child, now));
        long emitted = next.devices() - run.devices();
        metrics.broadcastDevices(emitted, next.skipped() - run.skipped());
        if (next.ended()) {
            end(next);
            metrics.broadcast("completed");
        } else {
            runs.put(id, next);
            credit.put(id, available - emitted);
        }
        return emitted;
    }

    /** Stores {@code run}'s end; its definition and pace are no longer needed. */
    private void end(BroadcastRun run) {
        runs.put(run.broadcastId(), run);
        definitions.delete(run.broadcastId());
        credit.remove(run.broadcastId());
        writers.remove(run.broadcastId());
    }

    private List<BroadcastRun> all() {
        List<BroadcastRun> all = new ArrayList<>();
        try (KeyValueIterator<String, BroadcastRun> it = runs.all()) {
            it.forEachRemaining((KeyValue<String, BroadcastRun> kv) -> all.add(kv.value));
        }
        return all;
    }

    private void emit(String userId, byte[] job, String child, Instant now) {
        RecordHeaders headers = new RecordHeaders();
        JobHeaders.set(headers, JobHeaders.ORIGIN, JobHeaders.Origin.DETECTED.name());
        context.forward(new Record<>(userId, job, now.toEpochMilli(), headers), child);
    }
}
