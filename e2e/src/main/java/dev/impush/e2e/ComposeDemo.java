package dev.impush.e2e;

import dev.impush.localstack.traffic.ImTraffic;
import dev.impush.localstack.traffic.Population;
import dev.impush.model.Channel;
import dev.impush.model.Topics;
import dev.impush.runtime.Env;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * The demo of {@code deploy/compose}: the mock vendors (each speaking its vendor's protocol and
 * checking its auth) for workers in other containers, their settings and key files written to a shared
 * directory ({@code vendors.env}, which the image's entrypoint reads through {@code IMPUSH_ENV_FILE});
 * then, once the detector and the workers run, IM traffic through the client library and a report in
 * the quickstart's terms: every offline device pushed exactly once per message, no connected device
 * pushed, dead tokens refused by the vendors and removed by the detector (read off its /metrics).
 * It keeps serving the mocks after the report, for the workers, until stopped.
 *
 * <p>Settings (environment): {@code IMPUSH_KAFKA_BOOTSTRAP}, {@code IMPUSH_DEMO_SHARED_DIR}
 * ({@code /shared}), {@code IMPUSH_DEMO_USERS} (500), {@code IMPUSH_DEMO_WORKERS} (2),
 * {@code IMPUSH_DEMO_DETECTOR_METRICS} ({@code http://detector:8081/metrics}), and
 * {@code IMPUSH_MOCK_HOST}, the name the workers reach this container by.
 */
public final class ComposeDemo {
    public static final String ENV_FILE = "vendors.env";
    private static final Duration SERVICES_UP = Duration.ofMinutes(5);
    private static final Duration WAVE = Duration.ofMinutes(3);

    private final MockVendors vendors;
    private final String bootstrap;
    private final int users;
    private final int workers;
    private final URI detectorMetrics;
    private final String workerGroup;
    private final String detectorGroup;

    private ComposeDemo(MockVendors vendors, Env env) {
        this.vendors = vendors;
        this.bootstrap = env.string("IMPUSH_KAFKA_BOOTSTRAP", "kafka:9092");
        this.users = env.integer("IMPUSH_DEMO_USERS", 500, 1, 1_000_000);
        this.workers = env.integer("IMPUSH_DEMO_WORKERS", 2, 1, 64);
        this.workerGroup = env.string("IMPUSH_WORKER_GROUP", "impush-push-worker");
        this.detectorGroup = env.string("IMPUSH_DETECTOR_APP_ID", "impush-offline-detector");
        this.detectorMetrics = URI.create(env.string("IMPUSH_DEMO_DETECTOR_METRICS", "http://detector:8081/metrics"));
    }

    public static void main(String[] args) throws Exception {
        Env env = Env.system();
        try (MockVendors vendors = MockVendors.start(Clock.systemUTC())) {
            writeEnvFile(vendors.workerEnv(), Path.of(env.string("IMPUSH_DEMO_SHARED_DIR", "/shared")));
            boolean balanced = new ComposeDemo(vendors, env).run();
            say(balanced ? "BALANCED: nothing lost, nothing doubled, no connected device pushed"
                    : "NOT BALANCED: see the lines above");
            say("(the mock vendors keep serving the workers; stop with docker compose down)");
            Thread.currentThread().join();
        }
    }

    /** Starts the mocks and writes {@code vendors.env} into {@code shared}; the caller runs and closes. */
    static ComposeDemo start(MockVendors vendors, Env env, Path shared) throws IOException {
        writeEnvFile(vendors.workerEnv(), shared);
        return new ComposeDemo(vendors, env);
    }

    /**
     * {@code KEY='value'} lines (sh quoting) of the workers' vendor settings; a value naming a file (a
     * key, a certificate) names a copy of it in {@code shared} instead. Written whole, then renamed, so
     * a reader never sees half of it.
     */
    static Path writeEnvFile(Map<String, String> workerEnv, Path shared) throws IOException {
        Files.createDirectories(shared);
        StringBuilder out = new StringBuilder("# the mock vendors of the compose demo (ComposeDemo)\n");
        for (Map.Entry<String, String> e : new TreeMap<>(workerEnv).entrySet()) {
            String value = e.getValue();
            Path file = Path.of(value);
            if (value.startsWith("/") && Files.isRegularFile(file)) {
                Path copy = shared.resolve(e.getKey().toLowerCase() + "-" + file.getFileName());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                value = copy.toString();
            }
            out.append(e.getKey()).append("='").append(value.replace("'", "'\\''")).append("'\n");
        }
        Path tmp = shared.resolve(ENV_FILE + ".tmp");
        Files.writeString(tmp, out);
        return Files.move(tmp, shared.resolve(ENV_FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits for the services, sends two waves of messages, reports; true when all is as expected. */
    boolean run() throws Exception {
        awaitServices();
        Population population = Population.generate(users, 0.6, 0.5, 0.05, 7).withWebClients(10, vendors::subscribe);
        List<Population.Device> offline = population.devices().stream().filter(d -> !d.online()).toList();
        List<Population.Device> reachable = offline.stream().filter(Population.Device::tokenValid).toList();
        List<Population.Device> dead = offline.stream().filter(d -> !d.tokenValid()).toList();
        List<Population.Device> connected = population.devices().stream().filter(Population.Device::online).toList();
        say("%d users, %d devices: %d connected, %d offline (%d with a dead token)", users, population.devices().size(),
                connected.size(), offline.size(), dead.size());
        Instant registeredAt = Instant.now().minusSeconds(60);
        population.devices().forEach(d -> vendors.register(d, registeredAt.plusSeconds(30)));
        boolean ok = true;
        try (ImTraffic traffic = new ImTraffic(bootstrap, Topics.EVENTS, Topics.GATEWAYS)) {
            traffic.connect(population, "gw-demo", registeredAt);
            for (int wave = 1; wave <= 2; wave++) {
                String prefix = "demo" + wave + "-";
                for (String u : population.userIds()) {
                    traffic.message(population, u, prefix + u, "hello " + u, Instant.now());
                    if (Math.floorMod(u.hashCode(), 20) == 0) { // the platform retries some: same id twice
                        traffic.message(population, u, prefix + u, "hello " + u, Instant.now());
                    }
                }
                traffic.flush();
                await(WAVE, () -> count(reachable, prefix, n -> n >= 1) == reachable.size());
                Thread.sleep(1000); // a push that should not happen has time to show
                long once = count(reachable, prefix, n -> n == 1);
                long twice = count(reachable, prefix, n -> n > 1);
                long toConnected = count(connected, prefix, n -> n > 0);
                say("wave %d: %d of %d offline devices pushed once, %d twice, %d connected devices pushed", wave, once,
                        reachable.size(), twice, toConnected);
                ok &= once == reachable.size() && twice == 0 && toConnected == 0;
                if (wave == 1) {
                    await(WAVE, () -> tokensRemoved() >= dead.size());
                    double removed = tokensRemoved();
                    say("dead tokens: %d refused by their vendors, %.0f removed by the detector", dead.size(), removed);
                    ok &= removed >= dead.size();
                }
            }
        }
        say("per channel: %s", perChannel());
        return ok;
    }

    private void awaitServices() throws InterruptedException {
        say("waiting for the detector and %d workers on %s", workers, bootstrap);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            await(SERVICES_UP, () -> {
                try {
                    Map<String, ConsumerGroupDescription> groups = admin.describeConsumerGroups(
                            List.of(workerGroup, detectorGroup)).all().get();
                    ConsumerGroupDescription w = groups.get(workerGroup);
                    ConsumerGroupDescription d = groups.get(detectorGroup);
                    return w.groupState() == GroupState.STABLE && w.members().size() >= workers
                            && d.groupState() == GroupState.STABLE;
                } catch (Exception e) {
                    return false;
                }
            });
        }
        say("services up");
    }

    private long count(List<Population.Device> devices, String prefix, Predicate<Integer> requests) {
        return devices.stream().filter(d -> requests.test(vendors.ledger(d.channel()).requests(prefix + d.userId(),
                d.deviceId()))).count();
    }

    private String perChannel() {
        List<String> parts = new ArrayList<>();
        for (Channel c : Channel.values()) {
            parts.add(c.wireName() + " " + vendors.ledger(c).total());
        }
        return String.join(", ", parts);
    }

    /** {@code impush_detector_tokens_removed_total}, summed, from the detector's /metrics (0 while unreachable). */
    private double tokensRemoved() {
        try {
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(detectorMetrics)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith("impush_detector_tokens_removed_total"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void await(Duration timeout, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf("impush demo: " + format + "%n", args);
    }
}
