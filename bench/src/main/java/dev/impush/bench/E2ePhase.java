package dev.impush.bench;

import dev.impush.model.Channel;
import dev.impush.model.Contract;
import dev.impush.model.Priority;
import dev.impush.model.codec.Json;
import dev.impush.model.event.AckedEvent;
import dev.impush.model.event.DeviceEvent;
import dev.impush.model.event.GatewayLease;
import dev.impush.model.event.MessageEvent;
import dev.impush.model.event.PresenceEvent;
import dev.impush.model.event.RoutedEvent;
import dev.impush.localstack.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code --e2e-rate}: IM traffic through an offline detector (its own JVM, exactly-once at its commit
 * interval) and the worker to the vendor, timed from each message event's slot on an open-loop
 * schedule to the vendor receiving its push. The mix is what an IM platform sends: users with one
 * APNs device each, {@code online} of them connected through a gateway with a live lease; every
 * message to a connected device is followed by its {@code routed} and {@code acked} (no push), the
 * others are pushed. One device per user, so a message's latency is its device's.
 */
final class E2ePhase implements AutoCloseable {
    private static final String GATEWAY = "gw-e2e";

    /**
     * @param events all events produced (messages, routed, acked); {@code latency} covers the pushed
     *               messages only; {@code detectorCores} the detector's CPU meanwhile
     */
    record Result(long commitMs, double rate, int messages, long events, Arrivals.Summary latency, double detectorCores) {}

    private final long commitMs;
    private final String eventsTopic;
    private final List<String> users;
    private final boolean[] online;
    private final KafkaProducer<byte[], byte[]> producer;
    private final DetectorJvm detector;

    private E2ePhase(long commitMs, String eventsTopic, List<String> users, boolean[] online,
                     KafkaProducer<byte[], byte[]> producer, DetectorJvm detector) {
        this.commitMs = commitMs;
        this.eventsTopic = eventsTopic;
        this.users = users;
        this.online = online;
        this.producer = producer;
        this.detector = detector;
    }

    /**
     * Registers {@code devices} devices (one per user; APNs tokens taken round-robin from {@code tokens},
     * all valid at the vendor), {@code onlineShare} of them connected, on topics of its own, and starts a
     * detector at {@code commitMs} that publishes into the worker's lanes; returns once it has read them.
     */
    static E2ePhase start(String bootstrap, long commitMs, int devices, double onlineShare, List<String> tokens,
                          String appTopic, String jobsTopic, String bulkTopic, int partitions, int lingerMs,
                          String heap, int threads, Map<String, String> detectorEnv, Path jfrFile) throws Exception {
        String tag = "e2e-c" + commitMs;
        String events = "bench." + tag + ".events";
        String gateways = "bench." + tag + ".gateways";
        KafkaTopics.createAndAwait(bootstrap, Map.of(events, partitions, gateways, partitions), List.of(gateways));
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                new ByteArraySerializer(), new ByteArraySerializer());
        Instant at = Instant.now().minusSeconds(60);
        producer.send(new ProducerRecord<>(gateways, bytes(GATEWAY), Json.write(GatewayLease.of(GATEWAY, 24 * 3600, at))));
        Random random = new Random(13);
        List<String> users = new ArrayList<>(devices);
        boolean[] online = new boolean[devices];
        for (int i = 0; i < devices; i++) {
            String user = tag + "-u" + i;
            users.add(user);
            online[i] = random.nextDouble() < onlineShare;
            producer.send(new ProducerRecord<>(events, bytes(user), Json.write(new DeviceEvent(Contract.VERSION,
                    DeviceEvent.Action.REGISTER, user, device(user), Channel.APNS, tokens.get(i % tokens.size()), appTopic,
                    false, "en-US", true, at))));
            producer.send(new ProducerRecord<>(events, bytes(user), Json.write(new PresenceEvent(Contract.VERSION, user,
                    device(user), online[i] ? PresenceEvent.State.ONLINE : PresenceEvent.State.OFFLINE,
                    online[i] ? GATEWAY : null, at))));
        }
        producer.flush();
        Map<String, String> env = new HashMap<>(detectorEnv);
        env.putAll(Map.of("IMPUSH_TOPIC_EVENTS", events, "IMPUSH_TOPIC_GATEWAYS", gateways,
                "IMPUSH_TOPIC_JOBS", jobsTopic, "IMPUSH_TOPIC_JOBS_BULK", bulkTopic,
                "IMPUSH_DETECTOR_COMMIT_INTERVAL_MS", Long.toString(commitMs),
                "IMPUSH_DETECTOR_THREADS", Integer.toString(threads)));
        DetectorJvm detector = DetectorJvm.start(bootstrap, "bench-" + tag, env, heap, jfrFile);
        E2ePhase phase = new E2ePhase(commitMs, events, users, online, producer, detector);
        try {
            detector.awaitCaughtUp(Duration.ofMinutes(5));
        } catch (Exception e) {
            phase.close();
            throw e;
        }
        return phase;
    }

    long commitMs() {
        return commitMs;
    }

    /** CPU time of the detector's JIT compiler threads so far, ms. */
    long compileMillis() {
        return detector.jvm().compileMillis();
    }

    /**
     * Messages to random users at {@code rate}/s for {@code seconds} on an open-loop schedule; message
     * ids {@code <prefix><n>} for the pushed ones (the vendor mocks report those to {@link Arrivals}).
     * {@code reset} runs first (the dedupe store emptied, the harness's garbage collected).
     */
    Result run(String prefix, double rate, int seconds, Runnable reset, long timeoutMs) throws Exception {
        Traffic t = traffic(prefix, (int) (rate * seconds), rate);
        reset.run();
        Arrivals.CURRENT.set(t.arrivals());
        long t0 = OpenLoop.run(t.messages(), rate, (i, slot) -> {
            int pushed = t.pushIndex()[i];
            if (pushed >= 0) {
                t.arrivals().produced[pushed] = slot;
            }
            t.records().get(i).forEach(producer::send);
        });
        producer.flush();
        if (!t.arrivals().await(timeoutMs)) {
            System.out.printf("  e2e %,.0f/s: only %,d of %,d pushes delivered in time (detector log %s)%n", rate,
                    t.arrivals().count(), t.arrivals().received.length, detector.jvm().log());
        }
        Arrivals.Summary s = t.arrivals().summary();
        long events = t.records().stream().mapToLong(List::size).sum();
        return new Result(commitMs, rate, t.messages(), events, s, detector.jvm().coresBetween(t0, s.lastNanos()));
    }

    /** A phase's records, serialised before it is timed; {@code pushIndex[i]} is message i's arrival index, or -1. */
    private record Traffic(Arrivals arrivals, List<List<ProducerRecord<byte[], byte[]>>> records, int[] pushIndex) {
        int messages() {
            return records.size();
        }
    }

    private Traffic traffic(String prefix, int messages, double rate) {
        Random random = new Random(prefix.hashCode());
        List<List<ProducerRecord<byte[], byte[]>>> records = new ArrayList<>(messages);
        int[] pushIndex = new int[messages];
        int pushes = 0;
        Instant base = Instant.now();
        for (int i = 0; i < messages; i++) {
            int u = random.nextInt(users.size());
            String user = users.get(u);
            String id = online[u] ? prefix + "online-" + i : prefix + pushes;
            pushIndex[i] = online[u] ? -1 : pushes++;
            Instant sent = base.plusNanos((long) (i * 1e9 / rate));
            byte[] key = bytes(user);
            List<ProducerRecord<byte[], byte[]>> r = new ArrayList<>(3);
            r.add(new ProducerRecord<>(eventsTopic, key, Json.write(new MessageEvent(Contract.VERSION, id, user,
                    "c-" + user, MessageEvent.ConversationType.DIRECT, "u-sender", "Alice", "hello " + i, false, 1, sent,
                    3600, Priority.HIGH, false))));
            if (online[u]) {
                r.add(new ProducerRecord<>(eventsTopic, key, Json.write(new RoutedEvent(Contract.VERSION, id, user,
                        device(user), sent))));
                r.add(new ProducerRecord<>(eventsTopic, key, Json.write(new AckedEvent(Contract.VERSION, id, user,
                        device(user), sent))));
            }
            records.add(r);
        }
        return new Traffic(new Arrivals(prefix, pushes), records, pushIndex);
    }

    private static String device(String user) {
        return user + "-d0";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        try (producer) {
            detector.close();
        }
    }
}
